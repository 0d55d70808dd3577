import { createSpecAuth, SystemClock } from '../../../src';
import { createApiClient } from '../../../src/client';
import { OAuth2ClientCredentials } from '../../../src/oauth2';
import { startSpecServer, type SpecServer } from '../../../tokensmith-server/src/server/spec/start';
import { METQUAY_LIKE } from './helpers';

// tokensmith's own OAuth2 client (client credentials through the spec-auth engine and
// openapi-fetch) against `serve --spec`: the token comes from the served token endpoint at the
// spec's relative tokenUrl, and the server enforces expiry, revocation and scopes for real.

interface paths {
  '/customers': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: { first?: number; limit?: number }; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { 'application/json': { items: Array<{ id: number; name: string }> } } } };
    };
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { 'application/json': { name: string } } };
      responses: { 201: { headers: { [name: string]: unknown }; content: { 'application/json': { id: number; name: string } } } };
    };
  };
}

const CLIENT = { clientId: 'reports', clientSecret: 'reports-secret-0123456789abcdef', scopes: ['customers:read', 'customers:write'] };

/** What `tokensmith generate` writes for the two operations used here. */
const security = {
  securitySchemes: {
    metquayOAuth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/api/v1/oauth2/token', scopes: { 'customers:read': 'Read', 'customers:write': 'Change' } } } },
  },
  operationSecurity: {
    'GET /customers': [{ metquayOAuth: ['customers:read'] }],
    'POST /customers': [{ metquayOAuth: ['customers:write'] }],
  },
} as const;

let server: SpecServer;
beforeEach(async () => {
  server = await startSpecServer({ specs: [METQUAY_LIKE], admin: true, stateful: true, config: { oauth2: { clients: [CLIENT] } } });
});
afterEach(async () => {
  await server.close();
});

const admin = async (path: string, body: unknown = {}) => (await fetch(`${server.url}/_admin${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
const tokensIssued = async () => ((await (await fetch(`${server.url}/_admin/oauth2/stats`)).json()) as { tokensIssued: number }).tokensIssued;

function client(clock?: SystemClock) {
  const provider = new OAuth2ClientCredentials({ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, ...(clock ? { tokenManager: { clock } } : {}) });
  const baseUrl = `${server.url}/api/v1`;
  const auth = createSpecAuth({ ...security, defaultServerUrl: baseUrl }, { credentials: { metquayOAuth: provider } });
  return createApiClient<paths>(baseUrl, { middleware: [auth.middleware] });
}

test('1,000 concurrent calls needing one scope set make 1 token request; a second scope set makes 1 more', async () => {
  const api = client();
  const answers = await Promise.all(Array.from({ length: 1000 }, () => api.GET('/customers')));
  expect(answers.every((answer) => answer.response.status === 200)).toBe(true);
  expect(await tokensIssued()).toBe(1);
  expect((await api.POST('/customers', { body: { name: 'a' } })).response.status).toBe(201);
  expect(await tokensIssued()).toBe(2);
});

test('a revoked token: the server answers 401 invalid_token, the client renews once and retries with the body intact', async () => {
  const api = client();
  expect((await api.POST('/customers', { body: { name: 'first' } })).response.status).toBe(201);
  expect(await admin('/tokens/revoke')).toMatchObject({ affected: expect.any(Number) });
  const retried = await api.POST('/customers', { body: { name: 'kept through the retry' } });
  expect(retried.response.status).toBe(201);
  expect(retried.data?.name).toBe('kept through the retry');
  expect(await tokensIssued()).toBe(2);
  // Stateful: two customers, none duplicated by the retry.
  expect((await api.GET('/customers')).data?.items.map((c) => c.name)).toEqual(['first', 'kept through the retry']);
});

test('a token the server expired early is renewed once on its 401; one past its lifetime on the client clock is renewed before sending', async () => {
  let now = Date.now();
  const api = client(new SystemClock(() => now));
  expect((await api.GET('/customers')).response.status).toBe(200);
  await admin('/tokens/expire');
  expect((await api.GET('/customers')).response.status).toBe(200);
  expect(await tokensIssued()).toBe(2);
  expect((await api.GET('/customers')).response.status).toBe(200);
  expect(await tokensIssued()).toBe(2);
  now += 2 * 3_600_000;
  await admin('/clock', { advanceMs: 2 * 3_600_000 });
  expect((await api.GET('/customers')).response.status).toBe(200);
  expect(await tokensIssued()).toBe(3);
});
