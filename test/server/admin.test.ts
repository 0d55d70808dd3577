import { adminClient } from '../../tokensmith-server/src/server';
import { FULL_KEY, METQUAY_CLIENT, basic, bearer, expectAblyError, getToken, keyName, signTokenRequest, startTestServer, useSuiteServer } from './helpers';

const suite = useSuiteServer();
const admin = () => adminClient(suite().url);

describe('test controls availability', () => {
  test('without admin: true every /_admin route is 404 in the Ably envelope', async () => {
    const server = await startTestServer({ admin: false });
    expectAblyError(await server.call('POST', '/_admin/reset'), 40400, 404);
    expectAblyError(await server.call('GET', '/_admin/requests'), 40400, 404);
    expect((await server.call('POST', '/api/v1/_admin/metquay/reset')).status).toBe(404);
  });

  test('startAuthServer leaves them off by default', async () => {
    const { startAuthServer } = await import('../../tokensmith-server/src/server');
    const server = await startAuthServer();
    try {
      expect((await fetch(`${server.url}/_admin/clock`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  test('a bad control body is 400 naming the field', async () => {
    const response = await suite().call('POST', '/_admin/faults', { json: { path: '/time', status: 'x' } });
    expectAblyError(response, 40001, 400);
    expect(response.body.error.message).toContain('status');
  });
});

describe('token and key controls', () => {
  test('expireToken makes an issued token answer 40142 before its expiry', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY);
    expect(await admin().expireToken(token)).toBe(1);
    expectAblyError(await server.call('GET', '/channels/c/messages', { headers: { authorization: bearer(token) } }), 40142, 401);
  });

  test('expireToken() without a token expires every issued token', async () => {
    const server = suite();
    const tokens = await Promise.all([getToken(server, FULL_KEY), getToken(server, FULL_KEY)]);
    expect(await admin().expireToken()).toBe(2);
    for (const { token } of tokens) {
      expectAblyError(await server.call('GET', '/channels/c/messages', { headers: { authorization: bearer(token) } }), 40142, 401);
    }
  });

  test('revokeToken makes a token answer 40141; revokeKey makes the key answer 40131', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY);
    expect(await admin().revokeToken(token)).toBe(1);
    expectAblyError(await server.call('GET', '/channels/c/messages', { headers: { authorization: bearer(token) } }), 40141, 401);
    expect(await admin().revokeKey(keyName(FULL_KEY))).toBe(true);
    expect(await admin().revokeKey('testApp.nobody')).toBe(false);
    expectAblyError(await server.call('GET', '/channels/c/messages', { headers: { authorization: basic(FULL_KEY) } }), 40131, 401);
  });

  test('reset brings revoked keys, tokens, messages and nonces back to the start', async () => {
    const server = suite();
    await server.call('POST', '/channels/c/messages', { json: { data: 'x' }, headers: { authorization: basic(FULL_KEY) } });
    await getToken(server, FULL_KEY);
    await admin().revokeKey(keyName(FULL_KEY));
    expect(await admin().stats()).toMatchObject({ tokens: 1, nonces: 1, channels: 1 });
    await admin().reset();
    expect(await admin().stats()).toMatchObject({ tokens: 0, nonces: 0, channels: 0, requestLog: 0, pendingFaults: 0 });
    expect((await server.call('GET', '/channels/c/messages', { headers: { authorization: basic(FULL_KEY) } })).body).toEqual([]);
  });
});

describe('clock control', () => {
  test('skewing the clock moves GET /time and the TokenRequest window', async () => {
    const server = suite();
    const base = server.clock.now();
    expect(await admin().setClockOffset(15 * 60_000)).toEqual({ now: base + 15 * 60_000, offsetMs: 15 * 60_000 });
    expect((await server.call('GET', '/time')).body).toEqual([base + 15 * 60_000]);
    const request = signTokenRequest(FULL_KEY, { timestamp: base });
    expectAblyError(await server.call('POST', `/keys/${keyName(FULL_KEY)}/requestToken`, { json: request }), 40104, 401);
  });

  test('advanceClock expires tokens without sleeping', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY, { ttl: 30_000 });
    await admin().advanceClock(30_000);
    expect((await admin().clock()).offsetMs).toBe(30_000);
    expectAblyError(await server.call('GET', '/channels/c/messages', { headers: { authorization: bearer(token) } }), 40142, 401);
  });

  test('the Metquay side shares the skewed clock: its 15-minute token expires', async () => {
    const server = suite();
    const auth = await server.call('POST', '/api/v1/authenticate', { json: METQUAY_CLIENT });
    const headers = { authorization: `Bearer ${auth.body.accessToken}` };
    expect((await server.call('GET', '/api/v1/customers', { headers })).status).toBe(200);
    await admin().advanceClock(15 * 60_000 + 1_000);
    expect((await server.call('GET', '/api/v1/customers', { headers })).status).toBe(401);
  });
});

describe('fault injection', () => {
  test('the next N requests to a path fail with the given status in the Ably envelope, then it recovers', async () => {
    const server = suite();
    await admin().injectFault({ path: '/time', status: 503, count: 2, retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const response = await server.call('GET', '/time');
      // 503 has no code of its own in the table: the 5xx family's 50000.
      expectAblyError(response, 50000, 503);
      expect(response.headers.get('retry-after')).toBe('3');
    }
    expect((await server.call('GET', '/time')).status).toBe(200);
    expect(await admin().faults()).toEqual([]);
  });

  test('a fault can carry its own Ably code and is limited to a method', async () => {
    const server = suite();
    await admin().injectFault({ path: '/channels/*', method: 'POST', status: 401, code: 40142, message: 'token expired' });
    const headers = { authorization: basic(FULL_KEY) };
    expect((await server.call('GET', '/channels/c/messages', { headers })).status).toBe(200);
    const failed = await server.call('POST', '/channels/c/messages', { json: { data: 'x' }, headers });
    expectAblyError(failed, 40142, 401);
    expect(failed.body.error.message).toBe('token expired');
  });

  test('faults on Metquay paths answer in the Metquay envelope', async () => {
    const server = suite();
    await admin().injectFault({ path: '/api/v1/authenticate', status: 429, retryAfterSeconds: 7 });
    const response = await server.call('POST', '/api/v1/authenticate', { json: METQUAY_CLIENT });
    expect(response.status).toBe(429);
    expect(response.body).toEqual({ code: 429, message: 'injected fault' });
    expect(response.headers.get('retry-after')).toBe('7');
    expect((await server.call('POST', '/api/v1/authenticate', { json: METQUAY_CLIENT })).status).toBe(200);
  });

  test('a delay-only fault delays and then serves the request normally', async () => {
    const server = suite();
    await admin().injectFault({ path: '/time', delayMs: 150 });
    const started = performance.now();
    const response = await server.call('GET', '/time');
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('clearFaults drops pending faults', async () => {
    const server = suite();
    await admin().injectFault({ path: '/time', status: 500, count: 5 });
    await admin().clearFaults();
    expect((await server.call('GET', '/time')).status).toBe(200);
  });
});

describe('request log', () => {
  test('records method, path, status and duration — never the query string, and not the controls', async () => {
    const server = suite();
    await server.call('GET', '/time?format=json&access_token=abc');
    await server.call('GET', '/channels/c/messages');
    await server.call('POST', '/api/v1/authenticate', { json: METQUAY_CLIENT });
    const log = await admin().requests();
    expect(log.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'GET', path: '/time', status: 200 },
      { method: 'GET', path: '/channels/c/messages', status: 401 },
      { method: 'POST', path: '/api/v1/authenticate', status: 200 },
    ]);
    expect(log.every((entry) => typeof entry.durationMs === 'number' && entry.at === server.clock.now())).toBe(true);
    expect(JSON.stringify(log)).not.toContain('access_token');
    await admin().clearRequests();
    expect(await admin().requests()).toEqual([]);
  });

  test('is bounded by limits.requestLogSize', async () => {
    const { testConfig } = await import('./helpers');
    const server = await startTestServer({ config: testConfig({ limits: { requestLogSize: 3 } }) });
    for (let i = 0; i < 5; i++) await server.call('GET', `/channels/c${i}/messages`);
    const log = await adminClient(server.url).requests();
    expect(log.map((entry) => entry.path)).toEqual(['/channels/c2/messages', '/channels/c3/messages', '/channels/c4/messages']);
  });

  test('every request also produces one log line without query or headers', async () => {
    const server = suite();
    server.logLines.length = 0;
    await server.call('GET', '/time?key=secretish', { headers: { authorization: basic(FULL_KEY) } });
    expect(server.logLines).toEqual([expect.stringMatching(/^info request {"method":"GET","path":"\/time","status":200,"durationMs":/)]);
  });
});

describe('Metquay test controls through the admin client', () => {
  test('expireMetquayToken makes an access token answer 401', async () => {
    const server = suite();
    const auth = await server.call('POST', '/api/v1/authenticate', { json: METQUAY_CLIENT });
    expect(await admin().expireMetquayToken(auth.body.accessToken)).toBe(1);
    const response = await server.call('GET', '/api/v1/customers', { headers: { authorization: `Bearer ${auth.body.accessToken}` } });
    expect(response.status).toBe(401);
  });

  test('admin calls that fail throw a TokensmithError with the server code', async () => {
    await expect(admin().injectFault({ path: 'no-slash', status: 500 })).rejects.toMatchObject({ code: 40001, statusCode: 400 });
  });
});
