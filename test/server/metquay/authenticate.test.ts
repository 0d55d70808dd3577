import { decodeJwt, decodeProtectedHeader } from 'jose';
import { CLIENT, OTHER_CLIENT, startTestServer } from './helpers';

const AUTH = '/api/v1/authenticate';

describe('POST /api/v1/authenticate', () => {
  it('answers 200 with an HS256 JWT, tokenType bearer and expiresIn, never cached', async () => {
    const { call, clock } = await startTestServer();
    const response = await call('POST', AUTH, { json: CLIENT });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = response.json();
    expect(body).toEqual({ accessToken: expect.any(String), tokenType: 'bearer', expiresIn: 900 });
    expect(decodeProtectedHeader(body.accessToken).alg).toBe('HS256');
    const claims = decodeJwt(body.accessToken);
    const nowSeconds = Math.floor(clock.now() / 1000);
    expect(claims).toMatchObject({ sub: CLIENT.accessKey, iat: nowSeconds, exp: nowSeconds + 900 });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.text).not.toContain(CLIENT.secretKey);
  });

  it('issues a different token (jti) on every call', async () => {
    const { authenticate } = await startTestServer();
    const tokens = await Promise.all([1, 2, 3].map(() => authenticate()));
    expect(new Set(tokens).size).toBe(3);
    expect(new Set(tokens.map((token) => decodeJwt(token).jti)).size).toBe(3);
  });

  it('honours tokenTtlSeconds from the config', async () => {
    const { call } = await startTestServer({ config: { tokenTtlSeconds: 60 } });
    const body = (await call('POST', AUTH, { json: CLIENT })).json();
    expect(body.expiresIn).toBe(60);
    const claims = decodeJwt(body.accessToken);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(60);
  });

  it('signs with a per-server random secret: a token from one server is refused by another', async () => {
    const one = await startTestServer();
    const two = await startTestServer();
    const token = await one.authenticate();
    const response = await two.call('GET', '/api/v1/customers', { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
  });

  it.each([
    ['wrong secret', { accessKey: CLIENT.accessKey, secretKey: 'not-the-secret' }],
    ['unknown access key', { accessKey: 'nobody', secretKey: CLIENT.secretKey }],
    ["another client's secret", { accessKey: CLIENT.accessKey, secretKey: OTHER_CLIENT.secretKey }],
    ['secret with a different length', { accessKey: CLIENT.accessKey, secretKey: `${CLIENT.secretKey}x` }],
  ])('answers 401 with the same message for a %s (no user enumeration)', async (_case, payload) => {
    const { call } = await startTestServer();
    const response = await call('POST', AUTH, { json: payload });
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ code: 401, message: 'invalid accessKey or secretKey' });
    expect(response.text).not.toContain(payload.secretKey);
  });

  it.each([
    ['missing accessKey', { secretKey: 's' }, 'accessKey'],
    ['missing secretKey', { accessKey: 'a' }, 'secretKey'],
    ['null accessKey', { accessKey: null, secretKey: 's' }, 'accessKey'],
    ['numeric accessKey', { accessKey: 123, secretKey: 's' }, 'accessKey'],
    ['array secretKey', { accessKey: 'a', secretKey: ['s'] }, 'secretKey'],
    ['object secretKey', { accessKey: 'a', secretKey: { v: 's' } }, 'secretKey'],
    ['boolean secretKey', { accessKey: 'a', secretKey: true }, 'secretKey'],
    ['empty accessKey', { accessKey: '', secretKey: 's' }, 'accessKey'],
    ['blank secretKey', { accessKey: 'a', secretKey: '   ' }, 'secretKey'],
  ])('answers 400 naming the field for a %s', async (_case, payload, field) => {
    const { call } = await startTestServer();
    const response = await call('POST', AUTH, { json: payload });
    expect(response.status).toBe(400);
    const body = response.json();
    expect(body.code).toBe(400);
    expect(body.message).toContain(field);
  });

  it.each([
    ['a JSON array', '[]'],
    ['a JSON string', '"hello"'],
    ['JSON null', 'null'],
  ])('answers 400 in the envelope for %s as the body', async (_case, body) => {
    const { call } = await startTestServer();
    const response = await call('POST', AUTH, { body, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({ code: 400, message: expect.stringContaining('JSON object') });
  });

  it('answers 400 in the envelope for malformed JSON, without echoing it', async () => {
    const { call } = await startTestServer();
    const body = `{"accessKey": "a", "secretKey": "${CLIENT.secretKey}"`;
    const response = await call('POST', AUTH, { body, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({ code: 400, message: 'request body is not valid JSON' });
    expect(response.text).not.toContain(CLIENT.secretKey);
  });

  it('answers 400 in the envelope for an empty JSON body', async () => {
    const { call } = await startTestServer();
    const response = await call('POST', AUTH, { body: '', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.json().code).toBe(400);
  });

  it('answers 400 when there is no body at all', async () => {
    const { call } = await startTestServer();
    const response = await call('POST', AUTH);
    expect(response.status).toBe(400);
    expect(response.json().code).toBe(400);
  });

  it('answers 415 in the envelope for a non-JSON content type', async () => {
    const { call } = await startTestServer();
    const response = await call('POST', AUTH, { body: 'accessKey=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(415);
    expect(response.json()).toEqual({ code: 415, message: expect.any(String) });
  });

  it('answers 413 in the envelope for an oversize body', async () => {
    const { call } = await startTestServer();
    const response = await call('POST', AUTH, { json: { accessKey: 'a'.repeat(64 * 1024), secretKey: 's' } });
    expect(response.status).toBe(413);
    expect(response.json()).toEqual({ code: 413, message: 'request body is too large' });
  });

  it('answers 404 in the envelope for an unknown route or method under the prefix', async () => {
    const { call } = await startTestServer();
    for (const [method, path] of [['GET', AUTH], ['GET', '/api/v1/nothing-here'], ['DELETE', '/api/v1/customers']] as const) {
      const response = await call(method, path);
      expect(response.status).toBe(404);
      expect(response.json()).toEqual({ code: 404, message: expect.any(String) });
    }
  });

  it('limits calls per IP address with 429 and Retry-After, then lets them through in the next window', async () => {
    const { call, clock } = await startTestServer({ config: { authenticateRateLimitPerMinute: 3 } });
    clock.ms = Date.UTC(2025, 0, 1, 12, 0, 20); // 40 s left in this minute's window
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('POST', AUTH, { json: CLIENT })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await call('POST', AUTH, { json: { accessKey: 'a' } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('40');
    expect(limited.json()).toEqual({ code: 429, message: expect.any(String) });
    const otherIp = await call('POST', AUTH, { json: CLIENT, headers: { 'x-forwarded-for': '10.0.0.9' } });
    expect(otherIp.status).toBe(200);
    clock.advance(40_000);
    expect((await call('POST', AUTH, { json: CLIENT })).status).toBe(200);
  });
});
