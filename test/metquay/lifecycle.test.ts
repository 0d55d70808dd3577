import { InvalidCredentialsError, type TokensmithError } from '../../src/core/errors';
import { MetquayAuth } from '../../src/metquay';
import { createMetquayClient } from '../../src/client';
import { CLIENT, startTestServer } from '../server/metquay/helpers';
import { manualClock } from './helpers';

const AUTH = 'POST /api/v1/authenticate';
const CUSTOMERS = 'GET /api/v1/customers';

describe('MetquayAuth against the local server', () => {
  it('cold start: the first call authenticates, the token is a bearer JWT the server accepts', async () => {
    const server = await startTestServer();
    const mq = createMetquayClient({ ...CLIENT, baseUrl: `${server.url}/api/v1` });
    const { data, error, response } = await mq.GET('/customers', { params: { query: { limit: 3 } } });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.map((customer) => customer.id)).toEqual(['cus_000001', 'cus_000002', 'cus_000003']);
    expect(server.hits(AUTH)).toBe(1);
  });

  it('reuses the cached token across calls', async () => {
    const server = await startTestServer();
    const mq = createMetquayClient({ ...CLIENT, baseUrl: `${server.url}/api/v1` });
    for (let i = 0; i < 5; i++) expect((await mq.GET('/customers')).response.status).toBe(200);
    expect(await mq.auth.getToken()).toBe(await mq.auth.getToken());
    expect(server.hits(AUTH)).toBe(1);
    expect(server.hits(CUSTOMERS)).toBe(5);
  });

  it('authenticate() always fetches a new token and caches it', async () => {
    const server = await startTestServer();
    const auth = new MetquayAuth({ ...CLIENT, baseUrl: `${server.url}/api/v1` });
    const first = await auth.getToken();
    const response = await auth.authenticate();
    expect(response).toEqual({ accessToken: expect.any(String), tokenType: 'bearer', expiresIn: 900 });
    expect(response.accessToken).not.toBe(first);
    expect(await auth.getToken()).toBe(response.accessToken);
    expect(server.hits(AUTH)).toBe(2);
  });

  it('refreshes in the background inside the refresh window, and blocks for a new token once expired', async () => {
    const server = await startTestServer();
    const { clock, advance } = manualClock();
    const auth = new MetquayAuth({ ...CLIENT, baseUrl: `${server.url}/api/v1`, clock, refreshMarginMs: 60_000 });
    const original = await auth.getToken();
    advance(800_000); // 100 s before expiry: outside the (jittered) window of at most 90 s
    expect(await auth.getToken()).toBe(original);
    expect(server.hits(AUTH)).toBe(1);
    advance(50_000); // 50 s before expiry: inside the window
    expect(await auth.getToken()).toBe(original); // still served while the refresh runs
    let refreshed = original;
    await waitFor(async () => (refreshed = await auth.getToken()) !== original);
    expect(server.hits(AUTH)).toBe(2);
    advance(901_000); // past the refreshed token's expiry
    const next = await auth.getToken();
    expect(next).not.toBe(refreshed);
    expect(server.hits(AUTH)).toBe(3);
  });

  it('a token the server expired early gets a 401: the client re-authenticates once and the call succeeds', async () => {
    const server = await startTestServer();
    const mq = createMetquayClient({ ...CLIENT, baseUrl: `${server.url}/api/v1` });
    await mq.GET('/customers');
    const stale = await mq.auth.getToken();
    await server.call('POST', '/api/v1/_admin/metquay/tokens/expire', { json: { accessToken: stale } });
    const { response } = await mq.GET('/customers');
    expect(response.status).toBe(200);
    expect(await mq.auth.getToken()).not.toBe(stale);
    expect(server.hits(AUTH)).toBe(2);
    expect(server.hits(CUSTOMERS)).toBe(3); // ok, 401, retried ok
  });

  it('500 concurrent calls on a cold cache make exactly one /authenticate', async () => {
    const server = await startTestServer({ config: { rateLimitPerMinute: 10_000 } });
    const mq = createMetquayClient({ ...CLIENT, baseUrl: `${server.url}/api/v1` });
    const results = await Promise.all(Array.from({ length: 500 }, () => mq.GET('/customers', { params: { query: { limit: 1 } } })));
    expect(results.every((result) => result.response.status === 200)).toBe(true);
    expect(server.hits(AUTH)).toBe(1);
    expect((await server.call('GET', '/api/v1/_admin/metquay/stats')).json()).toEqual({ tokensIssued: 1 });
  });

  it('wrong credentials: InvalidCredentialsError 40101 at once, one request, no secret in the message', async () => {
    const server = await startTestServer();
    const heard: TokensmithError[] = [];
    const secretKey = 'definitely-wrong-secret-key';
    const auth = new MetquayAuth({ accessKey: CLIENT.accessKey, secretKey, baseUrl: `${server.url}/api/v1`, onAuthError: (e) => heard.push(e) });
    const failure = await auth.getToken().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidCredentialsError);
    expect(failure).toMatchObject({ code: 40101, statusCode: 401 });
    expect(String((failure as Error).message)).not.toContain(secretKey);
    expect(JSON.stringify(failure)).not.toContain(secretKey);
    expect(server.hits(AUTH)).toBe(1);
    expect(heard).toHaveLength(1);
    // The client layer surfaces the same final error; it does not loop.
    const mq = createMetquayClient({ accessKey: CLIENT.accessKey, secretKey, baseUrl: `${server.url}/api/v1` });
    await expect(mq.GET('/customers')).rejects.toMatchObject({ code: 40101 });
    expect(server.hits(AUTH)).toBe(2);
    expect(server.hits(CUSTOMERS)).toBe(0);
  });

  it('paginate walks first/limit across several pages until a short page', async () => {
    const server = await startTestServer();
    const mq = createMetquayClient({ ...CLIENT, baseUrl: `${server.url}/api/v1` });
    const ids: string[] = [];
    for await (const customer of mq.paginate('/customers', { limit: 50 })) ids.push(customer.id);
    expect(ids).toHaveLength(120);
    expect(ids[0]).toBe('cus_000001');
    expect(ids[119]).toBe('cus_000120');
    expect(new Set(ids).size).toBe(120);
    expect(server.hits(CUSTOMERS)).toBe(3); // 50 + 50 + 20
  });

  it('paginate ends on an empty page when the list is a multiple of the limit, and starts at first', async () => {
    const server = await startTestServer();
    const mq = createMetquayClient({ ...CLIENT, baseUrl: `${server.url}/api/v1` });
    const ids: string[] = [];
    for await (const customer of mq.paginate('/customers', { limit: 30, first: 30 })) ids.push(customer.id);
    expect(ids).toHaveLength(90);
    expect(ids[0]).toBe('cus_000031');
    expect(server.hits(CUSTOMERS)).toBe(4); // 30, 30, 30, then an empty page
  });

  it('paginate stops early when the consumer breaks out, fetching no further page', async () => {
    const server = await startTestServer();
    const mq = createMetquayClient({ ...CLIENT, baseUrl: `${server.url}/api/v1` });
    let seen = 0;
    for await (const _customer of mq.paginate('/customers', { limit: 10 })) if (++seen === 15) break;
    expect(server.hits(CUSTOMERS)).toBe(2);
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
