/**
 * uts/rest/unit/auth/auth_callback.md — RSA8c (authUrl), RSA8d (authCallback).
 */
import { BASE_URL, history, rejection, setup } from '../helpers/client';
import { bearer, isRequestToken, json, text } from '../helpers/mock-fetch';

const AUTH_HOST = 'auth.example.test';
const hour = () => Date.now() + 3_600_000;

describe('RSA8d authCallback', () => {
  it('RSA8d callback-invoked-for-auth: the callback supplies the token for a request', async () => {
    const seen: unknown[] = [];
    const { ably, requests } = setup(
      { authCallback: (params) => (seen.push(params), { token: 'callback-token', expires: hour() }) },
      () => json(200, []),
    );
    await history(ably);
    expect(seen).toHaveLength(1);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.get('authorization')).toBe(bearer('callback-token'));
  });

  it('RSA8d callback-returns-jwt: a bare token string is used as the token', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.test-jwt-payload';
    const { ably, requests } = setup({ authCallback: async () => jwt }, () => json(200, []));
    await history(ably);
    expect(requests[0]!.headers.get('authorization')).toBe(bearer(jwt));
  });

  it('RSA8d callback-returns-token-request: a TokenRequest is exchanged at requestToken without auth', async () => {
    const tokenRequest = { keyName: 'app.key', ttl: 3_600_000, timestamp: Date.now(), nonce: 'unique-nonce-0123456', mac: 'computed-mac' };
    const { ably, requests } = setup({ authCallback: () => tokenRequest }, (req) =>
      isRequestToken(req) ? json(200, { token: 'exchanged-token', expires: hour() }) : json(200, []),
    );
    await history(ably);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.url.href).toBe(`${BASE_URL}/keys/app.key/requestToken`);
    expect(requests[0]!.headers.get('authorization')).toBeNull();
    expect(JSON.parse(requests[0]!.body)).toEqual(tokenRequest);
    expect(requests[1]!.headers.get('authorization')).toBe(bearer('exchanged-token'));
  });

  it('RSA8d callback-receives-token-params: authorize passes its TokenParams, capability canonicalised', async () => {
    const seen: Record<string, unknown>[] = [];
    const { auth } = setup({ authCallback: (params) => (seen.push(params), { token: 't', expires: hour() }) }, () => json(200, []));
    await auth.authorize({ clientId: 'requested-client-id', ttl: 7_200_000, capability: { channel1: ['publish'] } });
    expect(seen[0]).toEqual({ clientId: 'requested-client-id', ttl: 7_200_000, capability: '{"channel1":["publish"]}' });
  });

  it('RSA8d callback-error-propagated: a thrown error fails the request with 40170 and its message; nothing is sent', async () => {
    const { ably, requests } = setup(
      {
        authCallback: () => {
          throw new Error('Authentication server unavailable');
        },
      },
      () => json(200, []),
    );
    const error = await rejection(history(ably));
    expect(error.message).toContain('Authentication server unavailable');
    expect(error.code).toBe(40170);
    expect(requests).toHaveLength(0);
  });
});

describe('RSA8c authUrl', () => {
  const onAuthHost = (answer: () => Response) => (req: { url: URL }) => (req.url.host === AUTH_HOST ? answer() : json(200, []));

  it('RSA8c authurl-invoked-for-auth: GET to the authUrl first, then the request with its token', async () => {
    const { ably, requests } = setup(
      { authUrl: `https://${AUTH_HOST}/token` },
      onAuthHost(() => json(200, { token: 'authurl-token', expires: hour() })),
    );
    await history(ably);
    expect(requests[0]!.url.host).toBe(AUTH_HOST);
    expect(requests[0]!.url.pathname).toBe('/token');
    expect(requests[0]!.method).toBe('GET');
    expect(requests[1]!.headers.get('authorization')).toBe(bearer('authurl-token'));
  });

  it('RSA8c authurl-post-method: authMethod POST sends the parameters form-encoded', async () => {
    const { ably, requests } = setup(
      { authUrl: `https://${AUTH_HOST}/token`, authMethod: 'POST', authParams: { a: '1' }, clientId: 'c' },
      onAuthHost(() => json(200, { token: 'authurl-token', expires: hour() })),
    );
    await history(ably);
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(requests[0]!.body))).toEqual({ a: '1', clientId: 'c' });
  });

  it('RSA8c authurl-custom-headers: authHeaders go to the authUrl', async () => {
    const { ably, requests } = setup(
      { authUrl: `https://${AUTH_HOST}/token`, authHeaders: { 'X-Custom-Header': 'custom-value', 'X-API-Key': 'my-api-key' } },
      onAuthHost(() => json(200, { token: 'authurl-token', expires: hour() })),
    );
    await history(ably);
    expect(requests[0]!.headers.get('x-custom-header')).toBe('custom-value');
    expect(requests[0]!.headers.get('x-api-key')).toBe('my-api-key');
    expect(requests[1]!.headers.get('x-api-key')).toBeNull();
  });

  it('RSA8c authurl-query-params: authParams go in the query of a GET', async () => {
    const { ably, requests } = setup(
      { authUrl: `https://${AUTH_HOST}/token`, authParams: { client_id: 'my-client', scope: 'publish:*' } },
      onAuthHost(() => json(200, { token: 'authurl-token', expires: hour() })),
    );
    await history(ably);
    expect(requests[0]!.url.searchParams.get('client_id')).toBe('my-client');
    expect(requests[0]!.url.searchParams.get('scope')).toBe('publish:*');
  });

  it('RSA8c authurl-returns-jwt: a text/plain body is the token', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.jwt-body.signature';
    const { ably, requests } = setup({ authUrl: `https://${AUTH_HOST}/jwt` }, onAuthHost(() => text(200, jwt)));
    await history(ably);
    expect(requests[1]!.headers.get('authorization')).toBe(bearer(jwt));
  });

  it('RSA8c authurl-error-propagated: an HTTP 500 fails the call with that status and no API request is made', async () => {
    const { ably, requests } = setup({ authUrl: `https://${AUTH_HOST}/token` }, onAuthHost(() => json(500, { error: 'Internal server error' })));
    const error = await rejection(history(ably));
    expect(error.statusCode).toBe(500);
    expect(error.message).toContain('authUrl');
    // Deliberate difference from the spec's count of 1: a 5xx is transient, so the core retries it (3 attempts in all).
    expect(requests.every((r) => r.url.host === AUTH_HOST)).toBe(true);
    expect(requests).toHaveLength(3);
  });
});
