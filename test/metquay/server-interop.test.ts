import { InvalidCredentialsError } from '../../src/core/errors';
import { MetquayAuth } from '../../src/metquay';
import { createMetquayClient } from '../../src/client';
import { DEMO_CREDENTIALS, adminClient, startAuthServer, type AuthServer } from '../../tokensmith-server/src/server';
import { manualClock } from './helpers';

// The whole local server (startAuthServer), as users run it, over real HTTP.
const CLIENT = { accessKey: 'interop-access', secretKey: 'interop-secret-key-0123456789' };
let server: AuthServer;
let baseUrl: string;
let admin: ReturnType<typeof adminClient>;

beforeAll(async () => {
  server = await startAuthServer({ admin: true, config: { metquay: { clients: [CLIENT], rateLimitPerMinute: 10_000 } } });
  baseUrl = `${server.url}/api/v1`;
  admin = adminClient(server.url);
});
afterAll(() => server.close());
beforeEach(() => admin.reset());

async function authenticateCalls(): Promise<number> {
  return (await admin.requests()).filter((r) => r.method === 'POST' && r.path === '/api/v1/authenticate').length;
}

describe('Metquay client against startAuthServer', () => {
  it('cold start then reuse: one /authenticate for many calls', async () => {
    const mq = createMetquayClient({ ...CLIENT, baseUrl });
    for (let i = 0; i < 3; i++) expect((await mq.GET('/customers', { params: { query: { limit: 2 } } })).response.status).toBe(200);
    expect(await authenticateCalls()).toBe(1);
  });

  it('500 concurrent calls on a cold cache: one /authenticate', async () => {
    const mq = createMetquayClient({ ...CLIENT, baseUrl });
    const results = await Promise.all(Array.from({ length: 500 }, () => mq.GET('/customers', { params: { query: { limit: 1 } } })));
    expect(results.filter((r) => r.response.status !== 200)).toEqual([]);
    const stats = await (await fetch(`${baseUrl}/_admin/metquay/stats`)).json();
    expect(stats).toEqual({ tokensIssued: 1 });
  });

  it('server clock moved past expiry: the 401 makes the client re-authenticate once and retry', async () => {
    const mq = createMetquayClient({ ...CLIENT, baseUrl });
    const before = await mq.auth.getToken();
    await admin.advanceClock(16 * 60_000);
    const { response } = await mq.GET('/customers');
    expect(response.status).toBe(200);
    expect(await mq.auth.getToken()).not.toBe(before);
    expect(await authenticateCalls()).toBe(2);
  });

  it('client clock past expiry: a new token is fetched before the call, no 401 at all', async () => {
    const { clock, advance } = manualClock(Date.now());
    const mq = createMetquayClient({ ...CLIENT, baseUrl, clock });
    await mq.GET('/customers');
    advance(901_000);
    await admin.advanceClock(901_000);
    await mq.GET('/customers');
    const log = await admin.requests();
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /api/v1/authenticate 200',
      'GET /api/v1/customers 200',
      'POST /api/v1/authenticate 200',
      'GET /api/v1/customers 200',
    ]);
  });

  it('a token revoked with the test controls is replaced transparently', async () => {
    const mq = createMetquayClient({ ...CLIENT, baseUrl });
    const token = await mq.auth.getToken();
    expect(await admin.revokeMetquayToken(token)).toBe(1);
    expect((await mq.GET('/customers')).response.status).toBe(200);
    expect(await authenticateCalls()).toBe(2);
  });

  it('a 503 from /authenticate (injected) is retried by the token fetch', async () => {
    await admin.injectFault({ path: '/api/v1/authenticate', status: 503, count: 1 });
    const auth = new MetquayAuth({ ...CLIENT, baseUrl, retry: { baseDelayMs: 1 } });
    expect(await auth.getToken()).toEqual(expect.any(String));
    expect((await admin.requests()).map((r) => r.status)).toEqual([503, 200]);
  });

  it('wrong credentials: InvalidCredentialsError, no retry', async () => {
    const auth = new MetquayAuth({ ...CLIENT, secretKey: 'wrong-secret-key', baseUrl });
    await expect(auth.getToken()).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(await authenticateCalls()).toBe(1);
  });

  it('paginate reads all 120 customers in pages of 50', async () => {
    const mq = createMetquayClient({ ...CLIENT, baseUrl });
    const ids: string[] = [];
    for await (const customer of mq.paginate('/customers', { limit: 50 })) ids.push(customer.id);
    expect(ids).toHaveLength(120);
    expect((await admin.requests()).filter((r) => r.path === '/api/v1/customers')).toHaveLength(3);
  });

  it('the demo server accepts the printed demo credentials', async () => {
    const demo = await startAuthServer();
    try {
      const auth = new MetquayAuth({ accessKey: DEMO_CREDENTIALS.metquayAccessKey, secretKey: DEMO_CREDENTIALS.metquaySecretKey, baseUrl: `${demo.url}/api/v1` });
      expect((await auth.authenticate()).tokenType).toBe('bearer');
    } finally {
      await demo.close();
    }
  });
});
