/**
 * Auth on a client built from a spec's security map (the shape `tokensmith generate` writes):
 * `auth.middlewareFor(security)` for AblyAuth and MetquayAuth, and `createBearerProvider` for a
 * custom TokenManager, each on `createApiClient` against the local server over real HTTP.
 */
import {
  AblyAuth,
  MetquayAuth,
  TokenManager,
  ablySecurity,
  createAuthMiddleware,
  createBearerProvider,
  metquaySecurity,
  type AblyPaths,
  type MetquayPaths,
} from '../../src/index-node';
import { createApiClient } from '../../src/client/index-node';
import * as generatedAblySecurity from '../../generated/ably.security';
import { DEMO_CREDENTIALS, adminClient, startAuthServer, type AuthServer } from '../../tokensmith-server/src/server';

let server: AuthServer;
const log = async () => (await adminClient(server.url).requests()).map((r) => `${r.method} ${r.path} ${r.status}`);

beforeAll(async () => {
  server = await startAuthServer({ admin: true });
});
beforeEach(() => adminClient(server.url).clearRequests());
afterAll(() => server.close());

describe('auth.middlewareFor(security) on createApiClient', () => {
  it.each([
    ['Basic (the key)', {}],
    ['token auth', { useTokenAuth: true }],
  ])('AblyAuth with %s authenticates protected operations and leaves GET /time alone', async (_name, extra) => {
    const auth = new AblyAuth({ key: DEMO_CREDENTIALS.ablyKey, baseUrl: server.url, ...extra });
    const ably = createApiClient<AblyPaths>(ablySecurity.defaultServerUrl, {
      baseUrl: server.url,
      middleware: [auth.middlewareFor(ablySecurity)],
    });
    const published = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'any-spec' } }, body: { name: 'n', data: 'd' } });
    expect(published.response.status).toBe(201);
    const time = await ably.GET('/time');
    expect(time.response.status).toBe(200);
    expect(await log()).toEqual([
      ...('useTokenAuth' in extra ? ['POST /keys/demoApp.demoKey/requestToken 200'] : []),
      'POST /channels/any-spec/messages 201',
      'GET /time 200',
    ]);
  });

  it('accepts the generated module itself as the security map', async () => {
    const auth = new AblyAuth({ key: DEMO_CREDENTIALS.ablyKey, baseUrl: server.url });
    const ably = createApiClient<AblyPaths>(generatedAblySecurity.defaultServerUrl, { baseUrl: server.url, middleware: [auth.middlewareFor(generatedAblySecurity)] });
    const { response } = await ably.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'any-spec' } } });
    expect(response.status).toBe(200);
  });

  it('MetquayAuth sends its bearer token on the operations the spec protects, none to /authenticate', async () => {
    const auth = new MetquayAuth({
      baseUrl: `${server.url}/api/v1`,
      accessKey: DEMO_CREDENTIALS.metquayAccessKey,
      secretKey: DEMO_CREDENTIALS.metquaySecretKey,
    });
    const mq = createApiClient<MetquayPaths>(metquaySecurity.defaultServerUrl, { baseUrl: auth.baseUrl, middleware: [auth.middlewareFor(metquaySecurity)] });
    const { response } = await mq.GET('/customers', { params: { query: { limit: 2 } } });
    expect(response.status).toBe(200);
    expect(await log()).toEqual(['POST /api/v1/authenticate 200', 'GET /api/v1/customers 200']);
  });

  it('refuses Basic auth over plain http to a non-loopback host, judged by the request, before sending', async () => {
    const auth = new AblyAuth({ key: DEMO_CREDENTIALS.ablyKey }); // auth.baseUrl is https
    const sent: string[] = [];
    const ably = createApiClient<AblyPaths>(ablySecurity.defaultServerUrl, {
      baseUrl: 'http://ably.example.test',
      fetch: async (request) => {
        sent.push(String(request));
        return new Response('{}');
      },
      middleware: [auth.middlewareFor(ablySecurity)],
    });
    await expect(ably.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'x' } } })).rejects.toMatchObject({ code: 40103 });
    expect(sent).toEqual([]);
    // No auth on GET /time, so nothing to refuse.
    await expect(ably.GET('/time')).resolves.toBeDefined();
  });

  it('refuses a map that is not one, naming the argument', () => {
    const auth = new AblyAuth({ key: DEMO_CREDENTIALS.ablyKey, baseUrl: server.url });
    // @ts-expect-error securitySchemes is required
    expect(() => auth.middlewareFor({ operationSecurity: ablySecurity.operationSecurity })).toThrow(/"securitySchemes" must be an object/);
  });
});

describe('createBearerProvider(manager) for a custom TokenManager', () => {
  async function authenticate(): Promise<string> {
    const response = await fetch(`${server.url}/api/v1/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessKey: DEMO_CREDENTIALS.metquayAccessKey, secretKey: DEMO_CREDENTIALS.metquaySecretKey }),
    });
    return ((await response.json()) as { accessToken: string }).accessToken;
  }

  it('sends the token, and on a 401 drops it, fetches the next once and retries', async () => {
    const fetched: string[] = [];
    const manager = new TokenManager({
      fetchToken: async () => {
        // The first token is one the server never issued, so it answers 401.
        const token = fetched.length === 0 ? 'not-a-token-the-server-issued' : await authenticate();
        fetched.push(token);
        return { token, expiresAt: Date.now() + 600_000 };
      },
    });
    const mq = createApiClient<MetquayPaths>(metquaySecurity.defaultServerUrl, {
      baseUrl: `${server.url}/api/v1`,
      middleware: [createAuthMiddleware({ ...metquaySecurity, provider: createBearerProvider(manager) })],
    });
    const { response } = await mq.GET('/customers');
    expect(response.status).toBe(200);
    expect(fetched).toHaveLength(2);
    expect(await log()).toEqual(['GET /api/v1/customers 401', 'POST /api/v1/authenticate 200', 'GET /api/v1/customers 200']);
  });
});
