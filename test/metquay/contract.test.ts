import { AuthProviderError, InvalidCredentialsError, RateLimitError, ServerError, TokensmithError } from '../../src/core/errors';
import { MetquayAuth } from '../../src/metquay';
import { createMetquayClient } from '../../src/client';
import { fakeJwt, json, manualClock, type Reply, startScriptedServer } from './helpers';

const SECRET = 'scripted-secret-key-0123456789';
const keys = { accessKey: 'scripted-access', secretKey: SECRET };
const TOKEN = fakeJwt({ sub: 'scripted-access', secretish: 'token-body-secret' });
const noRetry = { retry: { maxAttempts: 1 } };

describe('responses from /authenticate that break the contract', () => {
  it.each<[string, Reply, RegExp, (abstract new (...args: never[]) => Error)?]>([
    ['200 with an empty body', { status: 200, headers: { 'content-type': 'application/json' }, body: '' }, /empty body/],
    ['an HTML error page with 200', { status: 200, headers: { 'content-type': 'text/html' }, body: `<html><body>Gateway says hi ${TOKEN}</body></html>` }, /content-type text\/html/],
    ['a body that is not JSON', { status: 200, headers: { 'content-type': 'application/json' }, body: `{"accessToken": "${TOKEN}"` }, /not valid JSON/],
    ['a JSON array', json(200, [TOKEN]), /not an object/],
    ['no accessToken', json(200, { token: TOKEN, tokenType: 'bearer' }), /without accessToken \(fields: token, tokenType\)/],
    ['a numeric accessToken', json(200, { accessToken: 12345, tokenType: 'bearer' }), /accessToken of type number/],
    ['an empty accessToken', json(200, { accessToken: '', tokenType: 'bearer' }), /accessToken of type string instead of a non-empty string/],
    ['a tokenType other than bearer', json(200, { accessToken: TOKEN, tokenType: 'mac' }), /tokenType other than "bearer"/],
    ['a missing tokenType', json(200, { accessToken: TOKEN }), /tokenType of type undefined/],
    ['expiresIn as a string', json(200, { accessToken: TOKEN, tokenType: 'bearer', expiresIn: '900' }), /expiresIn of type string/],
    // A 5xx is the server-error condition, the same class on every provider (was AuthProviderError 50000).
    ['an HTML 502 page', { status: 502, headers: { 'content-type': 'text/html' }, body: `<h1>Bad gateway</h1> ${SECRET}` }, /answered HTTP 502/, ServerError],
  ])('%s -> a typed error that says what was wrong, without secrets', async (_case, reply, expected, errorClass = AuthProviderError) => {
    const server = await startScriptedServer(() => reply);
    const auth = new MetquayAuth({ ...keys, baseUrl: server.baseUrl, ...noRetry });
    const failure = await auth.getToken().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(errorClass);
    const error = failure as AuthProviderError;
    expect([50000, 50002]).toContain(error.code);
    expect(error.message).toMatch(expected);
    for (const secret of [SECRET, TOKEN, 'token-body-secret', 'Gateway says hi']) {
      expect(error.message).not.toContain(secret);
      expect(JSON.stringify(error)).not.toContain(secret);
    }
  });

  it('retries a broken answer as transient (a proxy page may pass) and succeeds on a good one', async () => {
    const server = await startScriptedServer((_request, index) =>
      index === 0 ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<html></html>' } : json(200, { accessToken: TOKEN, tokenType: 'bearer', expiresIn: 900 }),
    );
    const auth = new MetquayAuth({ ...keys, baseUrl: server.baseUrl, retry: { baseDelayMs: 1 } });
    expect(await auth.getToken()).toBe(TOKEN);
    expect(server.count('POST', '/authenticate')).toBe(2);
  });

  it('sends the key pair as the JSON body the spec defines, with no Authorization header', async () => {
    const server = await startScriptedServer(() => json(200, { accessToken: TOKEN, tokenType: 'bearer', expiresIn: 900 }));
    await new MetquayAuth({ ...keys, baseUrl: `${server.baseUrl}/` }).getToken();
    expect(server.seen[0]).toMatchObject({ method: 'POST', path: '/authenticate', authorization: undefined });
    expect(JSON.parse(server.seen[0]?.body ?? '')).toEqual(keys);
  });

  it('a 401 from /authenticate is final: InvalidCredentialsError with the server message, one request', async () => {
    const server = await startScriptedServer(() => json(401, { code: 401, message: `bad key pair for ${SECRET}` }));
    const failure = await new MetquayAuth({ ...keys, baseUrl: server.baseUrl }).getToken().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InvalidCredentialsError);
    expect((failure as Error).message).toContain('bad key pair for [redacted]');
    expect(server.count('POST', '/authenticate')).toBe(1);
  });

  it('a 400 from /authenticate is final and carries the server message', async () => {
    const server = await startScriptedServer(() => json(400, { code: 400, message: 'secretKey is required' }));
    const failure = await new MetquayAuth({ ...keys, baseUrl: server.baseUrl }).getToken().catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 40001, statusCode: 400, message: expect.stringContaining('secretKey is required') });
    expect(server.count('POST', '/authenticate')).toBe(1);
  });

  it('a redirect is not followed (the secret is never re-posted elsewhere)', async () => {
    const server = await startScriptedServer(() => ({ status: 307, headers: { location: 'http://127.0.0.1:9/steal' } }));
    const failure = await new MetquayAuth({ ...keys, baseUrl: server.baseUrl }).getToken().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TokensmithError);
    expect((failure as Error).message).toContain('unexpected status 307');
    expect(server.count('POST', '/authenticate')).toBe(1);
  });
});

describe('token lifetime', () => {
  async function cachedAt(reply: Reply, elapsedMs: number[]): Promise<number[]> {
    const server = await startScriptedServer(() => reply);
    const { clock, advance } = manualClock(1_700_000_000_000);
    const auth = new MetquayAuth({ ...keys, baseUrl: server.baseUrl, clock, refreshMarginMs: 0 });
    const counts: number[] = [];
    await auth.getToken();
    let previous = 0;
    for (const at of elapsedMs) {
      advance(at - previous);
      previous = at;
      await auth.getToken();
      counts.push(server.count('POST', '/authenticate'));
    }
    return counts;
  }

  it('comes from expiresIn when present', async () => {
    const reply = json(200, { accessToken: fakeJwt({ iat: 1_700_000_000, exp: 1_700_000_060 }), tokenType: 'bearer', expiresIn: 300 });
    // Served until the forced-refresh window (3 s) before expiry, then renewed.
    expect(await cachedAt(reply, [296_999, 297_000])).toEqual([1, 2]);
  });

  it("else from the JWT's exp (counted from iat)", async () => {
    const reply = json(200, { accessToken: fakeJwt({ iat: 1_700_000_000, exp: 1_700_000_120 }), tokenType: 'bearer' });
    expect(await cachedAt(reply, [116_999, 117_000])).toEqual([1, 2]);
  });

  it('else 900 s', async () => {
    const reply = json(200, { accessToken: 'opaque-token-not-a-jwt', tokenType: 'bearer' });
    expect(await cachedAt(reply, [896_999, 897_000])).toEqual([1, 2]);
  });
});

describe('API calls', () => {
  it('send Authorization: Bearer <accessToken> unencoded', async () => {
    const server = await startScriptedServer((request) =>
      request.path === '/authenticate' ? json(200, { accessToken: TOKEN, tokenType: 'bearer', expiresIn: 900 }) : json(200, []),
    );
    await createMetquayClient({ ...keys, baseUrl: server.baseUrl }).GET('/customers');
    expect(server.seen.find((r) => r.path === '/customers')?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a 401 on a protected call re-authenticates and retries exactly once', async () => {
    let issued = 0;
    const server = await startScriptedServer((request) =>
      request.path === '/authenticate'
        ? json(200, { accessToken: `${TOKEN}${++issued}`, tokenType: 'bearer', expiresIn: 900 })
        : json(401, { code: 401, message: 'access token is invalid' }),
    );
    const mq = createMetquayClient({ ...keys, baseUrl: server.baseUrl });
    const { error, response } = await mq.GET('/customers');
    expect(response.status).toBe(401);
    expect(error).toEqual({ code: 401, message: 'access token is invalid' });
    expect(server.count('POST', '/authenticate')).toBe(2);
    expect(server.seen.filter((r) => r.path === '/customers').map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}1`, `Bearer ${TOKEN}2`]);
  });

  it('paginate throws a typed error for a failed page', async () => {
    const server = await startScriptedServer((request) =>
      request.path === '/authenticate' ? json(200, { accessToken: TOKEN, tokenType: 'bearer', expiresIn: 900 }) : json(500, { code: 500, message: 'boom' }),
    );
    const mq = createMetquayClient({ ...keys, baseUrl: server.baseUrl });
    const walk = async () => {
      for await (const _customer of mq.paginate('/customers')) void _customer;
    };
    await expect(walk()).rejects.toMatchObject({ code: 50000, statusCode: 500, message: expect.stringContaining('boom') });
  });

  it('paginate refuses a page that is not an array', async () => {
    const server = await startScriptedServer((request) =>
      request.path === '/authenticate' ? json(200, { accessToken: TOKEN, tokenType: 'bearer', expiresIn: 900 }) : json(200, { items: [] }),
    );
    const walk = async () => {
      for await (const _customer of createMetquayClient({ ...keys, baseUrl: server.baseUrl }).paginate('/customers')) void _customer;
    };
    await expect(walk()).rejects.toMatchObject({ code: 50002 });
  });

  it('a 429 from /authenticate beyond maxRetryAfterMs is thrown at once as RateLimitError', async () => {
    const server = await startScriptedServer(() => json(429, { code: 429, message: 'slow down' }, { 'retry-after': '120' }));
    const failure = await new MetquayAuth({ ...keys, baseUrl: server.baseUrl, maxRetryAfterMs: 5_000 }).getToken().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RateLimitError);
    expect(failure).toMatchObject({ retryAfterMs: 120_000, statusCode: 429 });
    expect(server.count('POST', '/authenticate')).toBe(1);
  });
});
