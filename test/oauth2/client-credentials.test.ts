import { inspect } from 'node:util';
import { createSpecAuth, InvalidCredentialsError, SystemClock } from '../../src';
import { createApiClient } from '../../src/client';
import { MemoryTokenStore } from '../../src/store';
import { OAuth2ClientCredentials, type OAuth2ClientCredentialsOptions } from '../../src/oauth2';
import type { paths } from './api-paths';
import { ALL_CLIENT_SECRETS, startOidcProvider, startTokensmithServer, type TokenServer } from './token-servers';

// The OAuth2 client-credentials provider, through an openapi-fetch client and the spec-auth
// engine, against two token servers: tokensmith's own and panva's oidc-provider 8.x.

/** The security map `tokensmith generate` would write for a spec with this server's endpoints. */
function securityFor(server: TokenServer) {
  return {
    defaultServerUrl: server.url,
    securitySchemes: {
      oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: server.relativeTokenUrl, scopes: { read: 'read things', write: 'write things' } } } },
      oidc: { type: 'openIdConnect', openIdConnectUrl: '/.well-known/openid-configuration' },
    },
    operationSecurity: {
      'GET /api/things': [{ oauth: ['read'] }],
      'POST /api/things': [{ oauth: ['write'] }],
    },
  } as const;
}

function oidcSecurityFor(server: TokenServer) {
  const security = securityFor(server);
  return { ...security, operationSecurity: { 'GET /api/things': [{ oidc: ['read'] }], 'POST /api/things': [{ oidc: ['write'] }] } } as const;
}

const logLines: string[] = [];
const logger = {
  debug: (fields: object, message?: string) => void logLines.push(`${message} ${JSON.stringify(fields)}`),
  info: (fields: object, message?: string) => void logLines.push(`${message} ${JSON.stringify(fields)}`),
  warn: (fields: object, message?: string) => void logLines.push(`${message} ${JSON.stringify(fields)}`),
  error: (fields: object, message?: string) => void logLines.push(`${message} ${JSON.stringify(fields)}`),
};

function clientFor(server: TokenServer, options: Partial<OAuth2ClientCredentialsOptions> = {}, oidc = false) {
  const provider = new OAuth2ClientCredentials({ ...server.basicClient, ...options, tokenManager: { logger, ...options.tokenManager } });
  const security = oidc ? oidcSecurityFor(server) : securityFor(server);
  const auth = createSpecAuth(security, { credentials: oidc ? { oidc: provider } : { oauth: provider }, partial: true });
  return { provider, api: createApiClient<paths>(server.url, { middleware: [auth.middleware] }) };
}

afterAll(() => {
  for (const line of logLines) for (const secret of ALL_CLIENT_SECRETS) expect(line).not.toContain(secret);
});

describe.each([
  ['tokensmith-server', startTokensmithServer],
  ['oidc-provider 8', startOidcProvider],
] as const)('OAuth2 client credentials against %s', (_name, start) => {
  let server: TokenServer;
  beforeAll(async () => {
    server = await start();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  test('1,000 concurrent calls needing the same scope set make 1 token request', async () => {
    const before = await server.tokenRequests();
    const { api } = clientFor(server);
    const answers = await Promise.all(Array.from({ length: 1000 }, () => api.GET('/api/things')));
    expect(answers.every((answer) => answer.response.status === 200)).toBe(true);
    expect((await server.tokenRequests()) - before).toBe(1);
  });

  test('two scope sets make 2 token requests, one token each, sent to the operations that need them', async () => {
    const before = await server.tokenRequests();
    const { api, provider } = clientFor(server);
    const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? api.GET('/api/things') : api.POST('/api/things', { body: { name: `n${i}` } }))));
    expect(answers.map((answer) => answer.response.status)).toEqual(Array(1000).fill(200));
    expect((await server.tokenRequests()) - before).toBe(2);
    expect(provider.toJSON()).toEqual({ credential: 'OAuth2ClientCredentials', clientId: server.basicClient.clientId, authMethod: 'client_secret_basic', scopeSets: 2 });
  });

  test('client_secret_post authenticates the client in the body', async () => {
    const before = await server.tokenRequests();
    const { api } = clientFor(server, { ...server.postClient, authMethod: 'client_secret_post' });
    expect((await api.GET('/api/things')).response.status).toBe(200);
    expect((await server.tokenRequests()) - before).toBe(1);
  });

  test('expiry gives exactly 1 renewal (a settable clock instead of sleeping)', async () => {
    let now = Date.now();
    const clock = new SystemClock(() => now);
    const { api } = clientFor(server, { tokenManager: { clock } });
    const before = await server.tokenRequests();
    expect((await api.GET('/api/things')).response.status).toBe(200);
    now += 59_000;
    await Promise.all(Array.from({ length: 50 }, () => api.GET('/api/things')));
    expect((await server.tokenRequests()) - before).toBe(1);
    // Past the token's expires_in (600 s at oidc-provider, 3600 s at tokensmith's): one renewal for 50 callers.
    now += 3600_000;
    const answers = await Promise.all(Array.from({ length: 50 }, () => api.GET('/api/things')));
    expect(answers.every((answer) => answer.response.status === 200)).toBe(true);
    expect((await server.tokenRequests()) - before).toBe(2);
  });

  test('expiry gives exactly 1 renewal with jest fake timers (Date faked; sockets keep real timers)', async () => {
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      const { api } = clientFor(server);
      const before = await server.tokenRequests();
      expect((await api.GET('/api/things')).response.status).toBe(200);
      jest.setSystemTime(Date.now() + 2 * 3600_000);
      const answers = await Promise.all(Array.from({ length: 50 }, () => api.GET('/api/things')));
      expect(answers.every((answer) => answer.response.status === 200)).toBe(true);
      expect((await server.tokenRequests()) - before).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  test('a rejected token (401 invalid_token) is renewed and the request retried once, body intact', async () => {
    const { api, provider } = clientFor(server);
    const first = await api.POST('/api/things', { body: { name: 'first' } });
    expect(first.response.status).toBe(200);
    const token = await tokenOf(provider, server, ['write']);
    await server.revoke(token);
    const statusesBefore = (await server.apiStatuses()).length;
    const requestsBefore = await server.tokenRequests();
    const second = await api.POST('/api/things', { body: { name: 'kept across the retry' } });
    expect(second.response.status).toBe(200);
    expect(second.data).toEqual({ created: { name: 'kept across the retry' } });
    expect((await server.apiStatuses()).slice(statusesBefore)).toEqual([401, 200]);
    expect((await server.tokenRequests()) - requestsBefore).toBe(1);
  });

  test('a wrong client secret gives InvalidCredentialsError with the RFC 6749 error upstream, and no secret anywhere', async () => {
    const wrongSecret = 'wrong-secret-5e1d0c77aa';
    const { api, provider } = clientFor(server, { clientSecret: wrongSecret });
    let caught: unknown;
    try {
      await api.GET('/api/things');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidCredentialsError);
    expect(caught).toMatchObject({ code: 40101, statusCode: 401, upstream: { status: 401, error: 'invalid_client' } });
    const printed = [String(caught), JSON.stringify(caught), inspect(caught, { depth: 8 }), (caught as Error).stack ?? '', inspect(provider), JSON.stringify(provider), String(provider)];
    for (const text of printed) {
      expect(text).not.toContain(wrongSecret);
      for (const secret of ALL_CLIENT_SECRETS) expect(text).not.toContain(secret);
    }
    for (const line of logLines) expect(line).not.toContain(wrongSecret);
  });

  test('openIdConnect: the discovery document is read once, then client credentials at its token_endpoint', async () => {
    const discoveriesBefore = await server.discoveryRequests();
    const tokensBefore = await server.tokenRequests();
    const { api } = clientFor(server, {}, true);
    const answers = await Promise.all([
      ...Array.from({ length: 100 }, () => api.GET('/api/things')),
      ...Array.from({ length: 100 }, () => api.POST('/api/things', { body: { name: 'oidc' } })),
    ]);
    expect(answers.every((answer) => answer.response.status === 200)).toBe(true);
    expect((await server.discoveryRequests()) - discoveriesBefore).toBe(1);
    expect((await server.tokenRequests()) - tokensBefore).toBe(2);
  });

  test('tokens are shared through a store: a second provider with the same store makes no token request', async () => {
    const store = new MemoryTokenStore();
    const before = await server.tokenRequests();
    const one = clientFor(server, { store });
    const two = clientFor(server, { store });
    expect((await one.api.GET('/api/things')).response.status).toBe(200);
    expect((await two.api.GET('/api/things')).response.status).toBe(200);
    expect((await server.tokenRequests()) - before).toBe(1);
  });
});

/** The token the provider currently holds for a scope set: what it puts on a request for that scope set. */
async function tokenOf(provider: OAuth2ClientCredentials, server: TokenServer, scopes: string[]): Promise<string> {
  const probe = new Request(`${server.url}/api/things`);
  const use = { operation: 'POST /api/things', schemeName: 'oauth', scheme: securityFor(server).securitySchemes.oauth, kind: 'oauth2', scopes, serverUrl: server.url } as const;
  await provider.apply(probe, use as never);
  return probe.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
}

describe('configuration is checked when the auth is built, naming the option or scheme', () => {
  const creds = { clientId: 'reports', clientSecret: 'not-printed-secret-123' };
  const map = (scheme: object, defaultServerUrl?: string) => ({
    ...(defaultServerUrl === undefined ? {} : { defaultServerUrl }),
    securitySchemes: { oauth: scheme },
    operationSecurity: { 'GET /api/things': [{ oauth: ['read'] }] },
  });

  test.each([
    ['an oauth2 scheme without a clientCredentials flow', map({ type: 'oauth2', flows: { implicit: { authorizationUrl: '/a', scopes: {} } } }, 'https://api.example.com'), 40003, 'declares no token URL'],
    ['a relative tokenUrl and no server URL', map({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/token', scopes: {} } } }), 40106, 'is relative and no server URL is known'],
    ['a token endpoint over plain http off this machine', map({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'http://auth.example.com/token', scopes: {} } } }), 40103, 'plain http'],
  ])('%s', (_case, security, code, message) => {
    let caught: any;
    try {
      createSpecAuth(security as never, { credentials: { oauth: new OAuth2ClientCredentials(creds) } } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code, message: expect.stringContaining(message) });
    expect(caught.message).not.toContain(creds.clientSecret);
  });

  test.each([
    [{ clientId: '' }, '"clientId"'],
    [{ clientSecret: '' }, '"clientSecret"'],
    [{ authMethod: 'private_key_jwt' }, '"authMethod"'],
    [{ defaultScopes: ['has space'] }, '"defaultScopes"'],
    [{ extraParams: { scope: 'x' } }, '"extraParams.scope"'],
  ])('options %j are refused with 40003 naming %s', (bad, name) => {
    expect(() => new OAuth2ClientCredentials({ ...creds, ...bad } as never)).toThrow(expect.objectContaining({ code: 40003, message: expect.stringContaining(name) }));
  });

  test('a relative tokenUrl resolves against the server URL as RFC 3986 does; the scope set is sorted and deduplicated', () => {
    const sent: string[] = [];
    const spy = new OAuth2ClientCredentials({
      ...creds,
      fetch: async (url, init) => (sent.push(String(url), String(init?.body)), new Response('{"access_token":"t","token_type":"bearer"}', { headers: { 'content-type': 'application/json' } })),
    });
    const use = { operation: 'GET /x', schemeName: 'oauth', scheme: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/v1/oauth2/token' } } }, kind: 'oauth2', scopes: ['b', 'a', 'b'], serverUrl: 'https://api.example.com/v2' } as const;
    const request = new Request('https://api.example.com/v2/x');
    return Promise.resolve(spy.apply(request, use as never)).then(() => {
      expect(sent).toEqual(['https://api.example.com/v1/oauth2/token', 'grant_type=client_credentials&scope=a+b']);
      expect(request.headers.get('authorization')).toBe('Bearer t');
    });
  });
});
