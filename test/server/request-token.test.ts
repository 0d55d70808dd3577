import { decode } from '@msgpack/msgpack';
import {
  FULL_KEY, LIMITED_KEY, OTHER_APP_KEY, basic, bearer, expectAblyError, getToken, keyName, signTokenRequest, startTestServer, testConfig, useSuiteServer,
} from './helpers';

const suite = useSuiteServer();
const PATH = `/keys/${keyName(FULL_KEY)}/requestToken`;
const HOUR = 60 * 60_000;

describe('POST /keys/{keyName}/requestToken with a signed TokenRequest', () => {
  test('a correctly signed request answers TokenDetails with the default 60-minute ttl and no-store', async () => {
    const server = suite();
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now() });
    const response = await server.call('POST', PATH, { json: request });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({
      token: expect.any(String),
      keyName: keyName(FULL_KEY),
      issued: server.clock.now(),
      expires: server.clock.now() + HOUR,
      capability: '{"*":["*"]}',
    });
    expect(response.body.token.length).toBeGreaterThanOrEqual(40);
  });

  test('tokens are unpredictable: two requests never get the same token', async () => {
    const server = suite();
    const [a, b] = await Promise.all([getToken(server, FULL_KEY), getToken(server, FULL_KEY)]);
    expect(a.token).not.toBe(b.token);
  });

  test('ttl and clientId are honoured, and clientId "*" is allowed', async () => {
    const server = suite();
    const details = await getToken(server, FULL_KEY, { ttl: 5_000, clientId: 'alice' });
    expect(details).toMatchObject({ expires: server.clock.now() + 5_000, clientId: 'alice' });
    expect((await getToken(server, FULL_KEY, { clientId: '*' })).clientId).toBe('*');
  });

  test('a tampered field (ttl changed after signing) is 40101', async () => {
    const server = suite();
    const request = { ...signTokenRequest(FULL_KEY, { timestamp: server.clock.now(), ttl: 1_000 }), ttl: 2_000 };
    expectAblyError(await server.call('POST', PATH, { json: request }), 40101, 401);
  });

  test('a MAC made with another secret is 40101', async () => {
    const server = suite();
    const forged = signTokenRequest(`${keyName(FULL_KEY)}:not-the-secret`, { timestamp: server.clock.now() });
    expectAblyError(await server.call('POST', PATH, { json: forged }), 40101, 401);
  });

  test.each([
    ['11 minutes old', -11 * 60_000],
    ['11 minutes in the future', 11 * 60_000],
  ])('a stale timestamp (%s) is 40104', async (_label, offset) => {
    const server = suite();
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now() + offset });
    expectAblyError(await server.call('POST', PATH, { json: request }), 40104, 401);
  });

  test('a timestamp just inside the 10-minute window is accepted', async () => {
    const server = suite();
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now() - 10 * 60_000 });
    expect((await server.call('POST', PATH, { json: request })).status).toBe(200);
  });

  test('a replayed request (same nonce) is 40105', async () => {
    const server = suite();
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now() });
    expect((await server.call('POST', PATH, { json: request })).status).toBe(200);
    expectAblyError(await server.call('POST', PATH, { json: request }), 40105, 401);
  });

  test('a request posted to another key path is 40101', async () => {
    const server = suite();
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now() });
    expectAblyError(await server.call('POST', `/keys/${keyName(LIMITED_KEY)}/requestToken`, { json: request }), 40101, 401);
  });

  test('a key name the server does not know is 40400 with HTTP 401, as Ably', async () => {
    const server = suite();
    const request = signTokenRequest('testApp.unknown:whatever-secret', { timestamp: server.clock.now() });
    expectAblyError(await server.call('POST', '/keys/testApp.unknown/requestToken', { json: request }), 40400, 401);
  });

  test('a ttl over the 24-hour maximum is 40003', async () => {
    const server = suite();
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now(), ttl: 24 * HOUR + 1 });
    expectAblyError(await server.call('POST', PATH, { json: request }), 40003, 400);
  });

  test('a ttl of exactly 24 hours is granted', async () => {
    const server = suite();
    expect((await getToken(server, FULL_KEY, { ttl: 24 * HOUR })).expires).toBe(server.clock.now() + 24 * HOUR);
  });

  test('an empty clientId is 40012', async () => {
    const server = suite();
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now(), clientId: '' });
    expectAblyError(await server.call('POST', PATH, { json: request }), 40012, 400);
  });

  test('a requested capability is intersected with the key capability', async () => {
    const server = suite();
    const details = await getToken(server, LIMITED_KEY, { capability: '{"*":["publish","subscribe"]}' });
    expect(JSON.parse(details.capability)).toEqual({ 'allowed:*': ['publish'] });
  });

  test('a capability sharing nothing with the key is 40160', async () => {
    const server = suite();
    const request = signTokenRequest(LIMITED_KEY, { timestamp: server.clock.now(), capability: '{"secret":["publish"]}' });
    expectAblyError(await server.call('POST', `/keys/${keyName(LIMITED_KEY)}/requestToken`, { json: request }), 40160, 401);
  });

  test.each([
    ['not JSON', '{"*":'],
    ['an array', '["publish"]'],
    ['an unknown operation', '{"*":["fly"]}'],
    ['an empty operation list', '{"*":[]}'],
    ['"*" mixed with another operation', '{"ch":["*","publish"]}'],
    ['a non-string operation', '{"ch":["publish",7]}'],
    ['a resource with "*" inside', '{"a*b":["publish"]}'],
    ['a resource with two "*"', '{"chat:**":["publish"]}'],
  ])('a capability that is %s is HTTP 400 with 40000 (as Ably), naming body.capability', async (_label, capability) => {
    const server = suite();
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now(), capability });
    const response = await server.call('POST', PATH, { json: request });
    expectAblyError(response, 40000, 400);
    expect(response.body.error.message).toMatch(/^body\.capability/);
  });

  test('a qualified wildcard resource ("[*]*", as in Ably\'s test app) is a valid pattern', async () => {
    const details = await getToken(suite(), FULL_KEY, { capability: '{"[*]*":["*"]}' });
    expect(JSON.parse(details.capability)).toEqual({ '[*]*': ['*'] });
  });

  test('without mac and without Authorization the request is 40101', async () => {
    const server = suite();
    const { mac: _mac, ...unsigned } = signTokenRequest(FULL_KEY, { timestamp: server.clock.now() });
    expectAblyError(await server.call('POST', PATH, { json: unsigned }), 40101, 401);
  });

  test('a mac that is not a string is 40001', async () => {
    const server = suite();
    const request = { ...signTokenRequest(FULL_KEY, { timestamp: server.clock.now() }), mac: 12 };
    expectAblyError(await server.call('POST', PATH, { json: request }), 40001, 400);
  });

  test('a key revoked through the test controls is 40131', async () => {
    const server = suite();
    await server.call('POST', '/_admin/keys/revoke', { json: { keyName: keyName(FULL_KEY) } });
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now() });
    expectAblyError(await server.call('POST', PATH, { json: request }), 40131, 401);
  });

  test('the nonce check runs after the MAC check: a forged request does not burn a nonce', async () => {
    const server = suite();
    const good = signTokenRequest(FULL_KEY, { timestamp: server.clock.now() });
    expectAblyError(await server.call('POST', PATH, { json: { ...good, mac: 'AAAA' } }), 40101, 401);
    expect((await server.call('POST', PATH, { json: good })).status).toBe(200);
  });
});

describe('POST /keys/{keyName}/requestToken with Basic auth and TokenParams', () => {
  test('the key answers TokenDetails for the asked parameters', async () => {
    const server = suite();
    const response = await server.call('POST', PATH, { json: { ttl: 60_000, clientId: 'bob' }, headers: { authorization: basic(FULL_KEY) } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ keyName: keyName(FULL_KEY), clientId: 'bob', expires: server.clock.now() + 60_000 });
  });

  test('a wrong secret is 40101', async () => {
    const server = suite();
    const response = await server.call('POST', PATH, { json: {}, headers: { authorization: basic(`${keyName(FULL_KEY)}:wrong`) } });
    expectAblyError(response, 40101, 401);
  });

  test("another key's valid credentials are 40101", async () => {
    const server = suite();
    expectAblyError(await server.call('POST', PATH, { json: {}, headers: { authorization: basic(OTHER_APP_KEY) } }), 40101, 401);
  });

  test('a Bearer token cannot request tokens: 40101', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY);
    expectAblyError(await server.call('POST', PATH, { json: {}, headers: { authorization: bearer(token) } }), 40101, 401);
  });

  test('a TokenParams timestamp outside the window is 40104 and a repeated nonce 40105', async () => {
    const server = suite();
    const headers = { authorization: basic(FULL_KEY) };
    expectAblyError(await server.call('POST', PATH, { json: { timestamp: server.clock.now() - HOUR }, headers }), 40104, 401);
    const params = { timestamp: server.clock.now(), nonce: 'abcdefghijklmnop0001' };
    expect((await server.call('POST', PATH, { json: params, headers })).status).toBe(200);
    expectAblyError(await server.call('POST', PATH, { json: params, headers }), 40105, 401);
  });
});

describe('requestToken bodies the server cannot use', () => {
  test('malformed JSON is 400 40001 and the message does not quote the body', async () => {
    const server = suite();
    const response = await server.call('POST', PATH, { body: '{"keyName": "x", oops', headers: { 'content-type': 'application/json' } });
    expectAblyError(response, 40001, 400);
    expect(response.body.error.message).not.toContain('oops');
  });

  test('an empty JSON body is 40001', async () => {
    const server = suite();
    expectAblyError(await server.call('POST', PATH, { body: '', headers: { 'content-type': 'application/json' } }), 40001, 400);
  });

  test.each([
    ['ttl as a string', { ttl: '60000' }, 'ttl'],
    ['ttl as a float', { ttl: 1.5 }, 'ttl'],
    ['ttl of zero', { ttl: 0 }, 'ttl'],
    ['capability as an object', { capability: { '*': ['*'] } }, 'capability'],
    ['timestamp as a string', { timestamp: '1700000000000' }, 'timestamp'],
    ['nonce shorter than 16', { nonce: 'short' }, 'nonce'],
    ['clientId as a number', { clientId: 7 }, 'clientId'],
  ])('a body with %s is 400 naming the field', async (_label, body, field) => {
    const server = suite();
    const response = await server.call('POST', PATH, { json: body, headers: { authorization: basic(FULL_KEY) } });
    expect(response.status).toBe(400);
    expect([40001, 40012]).toContain(response.body.error.code);
    expect(response.body.error.message).toContain(field);
  });

  test('a JSON array body is 40001', async () => {
    const server = suite();
    expectAblyError(await server.call('POST', PATH, { json: [1, 2], headers: { authorization: basic(FULL_KEY) } }), 40001, 400);
  });

  test('a body over the limit is 413 41300', async () => {
    const server = await startTestServer({ config: testConfig({ limits: { bodyLimitBytes: 1024 } }) });
    const response = await server.call('POST', PATH, { json: { clientId: 'x'.repeat(2048) }, headers: { authorization: basic(FULL_KEY) } });
    expectAblyError(response, 41300, 413);
  });

  test('an unsupported content type is 415 41500', async () => {
    const server = suite();
    const response = await server.call('POST', PATH, { body: 'ttl=5', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectAblyError(response, 41500, 415);
  });

  test('a __proto__ key is refused with 40001, not a crash', async () => {
    const server = suite();
    const response = await server.call('POST', PATH, { body: '{"__proto__":{"admin":true}}', headers: { 'content-type': 'application/json', authorization: basic(FULL_KEY) } });
    expectAblyError(response, 40001, 400);
  });

  test('undecodable msgpack is 40001', async () => {
    const server = suite();
    const response = await server.call('POST', PATH, { body: Buffer.from([0xc1, 0xff, 0x00]), headers: { 'content-type': 'application/x-msgpack' } });
    expectAblyError(response, 40001, 400);
  });
});

describe('requestToken wire formats', () => {
  test('a msgpack TokenRequest body works and Accept: msgpack answers msgpack', async () => {
    const server = suite();
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now(), ttl: 10_000 });
    const response = await server.call('POST', PATH, { msgpack: request, headers: { accept: 'application/x-msgpack' } });
    expect(response.headers.get('content-type')).toBe('application/x-msgpack');
    expect(response.body).toMatchObject({ keyName: keyName(FULL_KEY), expires: server.clock.now() + 10_000 });
  });

  test('format=msgpack wins over Accept, and errors follow the asked format', async () => {
    const server = suite();
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now() });
    const response = await server.call('POST', `${PATH}?format=msgpack`, { json: { ...request, mac: 'bad' }, headers: { accept: 'application/json' } });
    expect(response.headers.get('content-type')).toBe('application/x-msgpack');
    expect(decode(response.raw)).toMatchObject({ error: { code: 40101, statusCode: 401 } });
    expect(response.headers.get('x-ably-errorcode')).toBe('40101');
  });

  test('errors in JSON use exactly application/json, as the official SDK matches it', async () => {
    const server = suite();
    const response = await server.call('POST', PATH, { json: {} });
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  test('an unknown format value is 40003', async () => {
    const server = suite();
    expectAblyError(await server.call('GET', '/time?format=xml'), 40003, 400);
  });
});
