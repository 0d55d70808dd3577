/**
 * CORS as Ably's REST endpoint gives it: preflights answered on every route, the allowed origin on
 * every answer and error, Ably's error headers readable by scripts, the test controls same-origin
 * only, and a configurable list of origins. Real HTTP; Chromium itself is driven by
 * `npm run test:runtimes`.
 */
import { ConfigurationError } from '../../src/core/errors';
import { resolveServerConfig } from '../../tokensmith-server/src/server';
import { FULL_KEY, keyName, METQUAY_CLIENT, startTestServer, testConfig, useSuiteServer, type TestServer } from './helpers';

const ORIGIN = 'http://app.test:5173';
const preflight = (server: TestServer, path: string, method: string, origin = ORIGIN, requestHeaders = 'authorization, content-type, x-ably-version, x-ably-clientid') =>
  server.call('OPTIONS', path, { headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': requestHeaders } });
const listed = (header: string | null) => (header ?? '').toLowerCase().split(/,\s*/);

describe('CORS, any origin (the default, as Ably public REST)', () => {
  const server = useSuiteServer();

  it.each([
    ['GET', '/time'],
    ['POST', `/keys/${keyName(FULL_KEY)}/requestToken`],
    ['POST', '/channels/chat/messages'],
    ['GET', '/channels/chat/messages'],
    ['GET', '/channels/chat'],
    ['POST', '/api/v1/authenticate'],
    ['GET', '/api/v1/customers'],
    ['DELETE', '/no/such/route'],
  ])('answers the preflight for %s %s: 204 with the methods and the Ably request headers', async (method, path) => {
    const answer = await preflight(server(), path, method);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(listed(answer.headers.get('access-control-allow-methods'))).toContain(method.toLowerCase());
    expect(listed(answer.headers.get('access-control-allow-headers'))).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-ably-version', 'x-ably-clientid']),
    );
    expect(Number(answer.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('puts the origin and the exposed error headers on a success', async () => {
    const answer = await server().call('GET', '/time', { headers: { origin: ORIGIN } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(listed(answer.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(['x-ably-errorcode', 'x-ably-errormessage', 'link']));
  });

  it.each([
    ['a refused credential (401)', 'POST', `/keys/${keyName(FULL_KEY)}/requestToken`, { json: {}, headers: { authorization: `Basic ${Buffer.from(`${keyName(FULL_KEY)}:wrong`).toString('base64')}` } }, 401],
    ['an invalid body (400)', 'POST', `/keys/${keyName(FULL_KEY)}/requestToken`, { json: { ttl: 'soon' } }, 400],
    ['an unknown route (404)', 'GET', '/no/such/route', {}, 404],
    ['a missing token (401)', 'GET', '/channels/chat/messages', {}, 401],
  ] as const)('puts the origin and exposes X-Ably-ErrorCode on %s', async (_label, method, path, options, status) => {
    const answer = await server().call(method, path, { ...options, headers: { ...('headers' in options ? options.headers : {}), origin: ORIGIN } });
    expect(answer.status).toBe(status);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('x-ably-errorcode')).toBe(String(answer.body.error.code));
    expect(listed(answer.headers.get('access-control-expose-headers'))).toContain('x-ably-errorcode');
  });

  it('puts the origin on Metquay answers and errors, and exposes Retry-After', async () => {
    const refused = await server().call('POST', '/api/v1/authenticate', { json: { accessKey: METQUAY_CLIENT.accessKey, secretKey: 'wrong' }, headers: { origin: ORIGIN } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    const ok = await server().call('POST', '/api/v1/authenticate', { json: METQUAY_CLIENT, headers: { origin: ORIGIN } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(listed(ok.headers.get('access-control-expose-headers'))).toContain('retry-after');
  });

  it('puts the origin on an injected fault, which a preflight never consumes', async () => {
    await server().call('POST', '/_admin/faults', { json: { path: '/time', status: 503, count: 1 } });
    expect((await preflight(server(), '/time', 'GET')).status).toBe(204);
    const faulted = await server().call('GET', '/time', { headers: { origin: ORIGIN } });
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get('access-control-allow-origin')).toBe('*');
  });

  it.each(['/_admin/tokens/expire', '/_admin/reset', '/api/v1/_admin/metquay/tokens/expire'])('keeps the test control %s same-origin: preflight 403, no CORS headers', async (path) => {
    const answer = await preflight(server(), path, 'POST');
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const direct = await server().call('GET', '/_admin/stats', { headers: { origin: ORIGIN } });
    expect(direct.status).toBe(200);
    expect(direct.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS headers to a request without an Origin', async () => {
    const answer = await server().call('GET', '/time');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-expose-headers')).toBeNull();
  });

  it('treats an OPTIONS without Access-Control-Request-Method as an ordinary request', async () => {
    const answer = await server().call('OPTIONS', '/time', { headers: { origin: ORIGIN } });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('CORS with configured origins', () => {
  it('echoes an allowed origin with Vary: Origin, and gives another origin nothing', async () => {
    const server = await startTestServer({ config: { ...testConfig(), cors: { allowedOrigins: [ORIGIN] } } });
    const allowed = await preflight(server, '/time', 'GET');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(listed(allowed.headers.get('vary'))).toContain('origin');

    const other = await preflight(server, '/time', 'GET', 'http://evil.test');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.body.error.code).toBe(40300);
    const otherGet = await server.call('GET', '/time', { headers: { origin: 'http://evil.test' } });
    expect(otherGet.status).toBe(200);
    expect(otherGet.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    [{ allowedOrigins: ['http://app.test/path'] }, 'cors.allowedOrigins[0]'],
    [{ allowedOrigins: ['app.test'] }, 'cors.allowedOrigins[0]'],
    [{ allowedOrigins: 'http://app.test' }, 'cors.allowedOrigins'],
    [{ origins: '*' }, 'cors.origins'],
  ])('refuses %j with a ConfigurationError naming %s', (cors, field) => {
    let caught: unknown;
    try {
      resolveServerConfig({ cors: cors as never });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).code).toBe(40003);
    expect((caught as Error).message).toContain(field);
  });

  it('defaults to any origin', () => {
    expect(resolveServerConfig({}).cors).toEqual({ allowedOrigins: '*' });
  });
});
