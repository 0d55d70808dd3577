/**
 * What an authUrl or authCallback may answer, and what it may not [RSA8c, RSA8d]: content types,
 * empty, 'null'/'undefined', double-encoded JSON, over 64 KiB, hanging (all 40170), and the
 * authUrl's own query surviving every request.
 */
import { AblyAuth } from '../../src/ably';
import { history, KEY, rejection, setup } from './helpers/client';
import { bearer, isRequestToken, json, text, tokenDetails } from './helpers/mock-fetch';

const AUTH_URL = 'https://auth.example.test/token';
const hour = () => Date.now() + 3_600_000;
const BIG = 'x'.repeat(64 * 1024 + 1); // one byte over MAX_TOKEN_RESPONSE_BYTES

function viaAuthUrl(answer: () => Response, extra: Record<string, unknown> = {}) {
  return setup({ authUrl: AUTH_URL, ...extra }, (req) =>
    req.url.host === 'auth.example.test' ? answer() : isRequestToken(req) ? json(200, tokenDetails('exchanged')) : json(200, []),
  );
}

describe('authUrl answers', () => {
  it.each([
    ['text/plain', 'plain-token'],
    ['text/plain; charset=utf-8', 'plain-token'],
    ['application/jwt', 'eyJhbGciOiJIUzI1NiJ9.e30.sig'],
  ])('%s is a token string', async (contentType, token) => {
    const { auth } = viaAuthUrl(() => text(200, token, contentType));
    expect(await auth.requestToken()).toEqual({ token });
  });

  it('application/json with issued is a TokenDetails', async () => {
    const details = tokenDetails('json-token');
    const { auth } = viaAuthUrl(() => json(200, details));
    expect(await auth.requestToken()).toEqual(details);
  });

  it('application/json with keyName is a TokenRequest, exchanged without auth', async () => {
    const tokenRequest = { keyName: 'appId.keyId', timestamp: Date.now(), nonce: 'abcdefghijklmnopq', mac: 'm' };
    const { auth, requests } = viaAuthUrl(() => json(200, tokenRequest));
    expect((await auth.requestToken()).token).toBe('exchanged');
    expect(requests[1]!.url.pathname).toBe('/keys/appId.keyId/requestToken');
    expect(requests[1]!.headers.get('authorization')).toBeNull();
    expect(JSON.parse(requests[1]!.body)).toEqual(tokenRequest);
  });

  it('application/json holding a JSON string is that token', async () => {
    const { auth } = viaAuthUrl(() => json(200, 'string-token'));
    expect(await auth.requestToken()).toEqual({ token: 'string-token' });
  });

  it.each([
    ['text/html', () => text(200, '<html>', 'text/html')],
    ['no Content-Type', () => new Response('token', { status: 200, headers: { 'content-type': '' } })],
    ['an empty text body', () => text(200, '')],
    ['an empty JSON body', () => text(200, '', 'application/json')],
    ['invalid JSON', () => text(200, '{"token":', 'application/json')],
    ["text 'null'", () => text(200, 'null')],
    ["text 'undefined'", () => text(200, 'undefined')],
    ['JSON null', () => json(200, null)],
    ['a JSON number', () => json(200, 42)],
    ['a JSON array', () => json(200, ['t'])],
    ['double-encoded JSON', () => json(200, JSON.stringify({ token: 't', issued: 1 }))],
    ['JSON text labelled text/plain', () => text(200, '{"token":"t"}')],
    ['an object with neither issued, token nor keyName', () => json(200, { hello: 'world' })],
    ['a TokenRequest without a mac', () => json(200, { keyName: 'a.b', timestamp: 1, nonce: 'n' })],
    ['a text body over 64 KiB', () => text(200, BIG)],
    ['a JSON body over 64 KiB', () => json(200, { token: BIG, issued: 1 })],
    ['a body over 64 KiB without Content-Length', () => new Response(new Blob([BIG]).stream(), { headers: { 'content-type': 'text/plain' } })],
    ['a 4xx', () => json(403, { message: 'no' })],
  ])('%s is refused with 40170', async (_name, answer) => {
    const { auth } = viaAuthUrl(answer);
    const error = await rejection(auth.requestToken());
    expect(error.code).toBe(40170);
    expect(error.statusCode).toBe(401);
  });

  it('the URL query survives every request and merges under authParams and token params', async () => {
    const { auth, requests } = setup(
      { authUrl: `${AUTH_URL}?app=demo&shared=url&clientId=url`, authParams: { shared: 'params', extra: '1' }, clientId: 'lib' },
      () => json(200, { token: 't', expires: hour() }),
    );
    await auth.authorize();
    await auth.authorize();
    await auth.requestToken();
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(Object.fromEntries(request.url.searchParams)).toEqual({ app: 'demo', shared: 'params', extra: '1', clientId: 'lib' });
    }
  });

  it('with POST the URL query stays on the URL and the rest goes in the form body', async () => {
    const { auth, requests } = setup({ authUrl: `${AUTH_URL}?app=demo`, authMethod: 'post', authParams: { a: '1' } }, () => json(200, { token: 't' }));
    await auth.requestToken({ ttl: 5000 });
    await auth.requestToken({ ttl: 5000 });
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(request.url.search).toBe('?app=demo');
      expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ a: '1', ttl: '5000' });
    }
  });

  it('asks for JSON or text and lets authHeaders override', async () => {
    const { auth, requests } = setup({ authUrl: AUTH_URL, authHeaders: { authorization: 'Bearer app-session' } }, () => json(200, { token: 't' }));
    await auth.requestToken();
    expect(requests[0]!.headers.get('accept')).toBe('application/json, text/plain');
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer app-session');
  });

  it('an unreachable authUrl is a transient network error (80000), retried by the lifecycle', async () => {
    let calls = 0;
    const { ably } = setup({ authUrl: AUTH_URL }, (req) => {
      if (req.url.host !== 'auth.example.test') return json(200, []);
      if (++calls < 3) throw new TypeError('fetch failed');
      return json(200, { token: 'third-time', expires: hour() });
    });
    const { response } = await history(ably);
    expect(response.status).toBe(200);
    expect(calls).toBe(3);
  });
});

describe('authCallback answers', () => {
  it.each([
    ['an empty string', ''],
    ["'null'", 'null'],
    ["'undefined'", 'undefined'],
    ['double-encoded JSON', '{"token":"t"}'],
    ['a string over 64 KiB', BIG],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['an object over 64 KiB', { token: 't', issued: 1, padding: BIG }],
    ['an object with neither issued, token nor keyName', { hello: 'world' }],
    ['a TokenDetails whose token is not a string', { token: 42, issued: 1 }],
  ])('%s is refused with 40170', async (_name, value) => {
    const { auth } = setup({ authCallback: () => value as never }, () => json(200, []));
    expect((await rejection(auth.requestToken())).code).toBe(40170);
  });

  it('a TokensmithError thrown by the callback keeps its code; an error-like object with an Ably code too', async () => {
    const { TokensmithError } = await import('../../src/core/errors');
    const typed = setup({ authCallback: () => Promise.reject(new TokensmithError(40101, 'bad')) }, () => json(200, []));
    expect((await rejection(typed.auth.requestToken())).code).toBe(40101);
    const errorInfo = setup({ authCallback: () => Promise.reject({ code: 40300, statusCode: 403, message: 'forbidden' }) }, () => json(200, []));
    const error = await rejection(errorInfo.auth.requestToken());
    expect(error.code).toBe(40300);
    expect(error.statusCode).toBe(403);
  });

  it('the callback error message is scrubbed of the key secret', async () => {
    const { auth } = setup({ key: KEY, authCallback: () => Promise.reject(new Error(`oops ${KEY}`)) }, () => json(200, []));
    const error = await rejection(auth.requestToken());
    expect(error.message).not.toContain('keySecret');
  });
});

describe('a callback or authUrl that hangs times out with 40170', () => {
  afterEach(() => jest.useRealTimers());

  it.each([
    ['authCallback', { authCallback: () => new Promise<string>(() => undefined) }],
    ['authUrl', { authUrl: AUTH_URL }],
  ])('%s', async (_name, options) => {
    jest.useFakeTimers();
    const { auth } = setup({ ...options, authTimeoutMs: 5_000 }, () => new Promise<Response>(() => undefined));
    let settled = false;
    const pending = rejection(auth.requestToken()).finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error.code).toBe(40170);
    expect(error.message).toContain('5000 ms');
  });

  it('the authUrl request is aborted at the timeout', async () => {
    jest.useFakeTimers();
    let signal: AbortSignal | undefined;
    const auth = new AblyAuth({
      authUrl: AUTH_URL,
      authTimeoutMs: 1_000,
      fetch: (_input, init) => {
        signal = init?.signal ?? undefined;
        return new Promise<Response>(() => undefined);
      },
    });
    const pending = rejection(auth.requestToken());
    await jest.advanceTimersByTimeAsync(1_000);
    expect((await pending).code).toBe(40170);
    expect(signal?.aborted).toBe(true);
  });
});

describe('the token from an authCallback TokenRequest is what requests use', () => {
  it('uses the exchanged token', async () => {
    const tokenRequest = { keyName: 'appId.keyId', timestamp: Date.now(), nonce: 'abcdefghijklmnopq', mac: 'm' };
    const { ably, requests } = setup({ authCallback: () => tokenRequest, key: KEY }, (req) =>
      isRequestToken(req) ? json(200, tokenDetails('from-exchange')) : json(200, []),
    );
    await history(ably);
    expect(requests[1]!.headers.get('authorization')).toBe(bearer('from-exchange'));
  });
});
