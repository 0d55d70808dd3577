import { inspect } from 'node:util';
import { createSpecAuth, InvalidCredentialsError, SystemClock } from '../../src';
import { createApiClient } from '../../src/client';
import { MemoryTokenStore } from '../../src/store';
import { OAuth2RefreshToken, type OAuth2RefreshTokenOptions } from '../../src/oauth2';
import type { paths } from './api-paths';
import { ROTATING, startOAuth2TestApp, tokenRequest, clientBasic, type OAuth2TestApp } from './oauth2-app';

// OAuth2 with a refresh token the user supplies (RFC 6749 §6), rotation kept, against
// tokensmith-server's token endpoint (which rotates on every refresh).

const security = (app: OAuth2TestApp) =>
  ({
    defaultServerUrl: app.url,
    securitySchemes: {
      user: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: '/authorize', tokenUrl: '/oauth2/token', scopes: { read: '', write: '' } } } },
      implicit: { type: 'oauth2', flows: { implicit: { authorizationUrl: '/authorize', scopes: { read: '' } } } },
    },
    operationSecurity: { 'GET /api/things': [{ user: ['read'] }], 'POST /api/things': [{ user: ['write'] }] },
  }) as const;

let app: OAuth2TestApp;
beforeEach(async () => {
  app = await startOAuth2TestApp();
});
afterEach(async () => {
  await app.close();
});

async function mintRefreshToken(): Promise<string> {
  const answer = await fetch(`${app.url}/_admin/oauth2/refresh-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: ROTATING.clientId }),
  });
  return ((await answer.json()) as { refresh_token: string }).refresh_token;
}

function clientWith(options: Partial<OAuth2RefreshTokenOptions> & { refreshToken: string }) {
  const provider = new OAuth2RefreshToken({ clientId: ROTATING.clientId, clientSecret: ROTATING.clientSecret, ...options });
  const auth = createSpecAuth(security(app), { credentials: { user: provider }, partial: true });
  return { provider, api: createApiClient<paths>(app.url, { middleware: [auth.middleware] }) };
}

test('the refresh_token grant gives the access token; on expiry the rotated refresh token replaces the old one', async () => {
  let now = Date.now();
  const clock = new SystemClock(() => now);
  const original = await mintRefreshToken();
  const rotated: string[] = [];
  const { api } = clientWith({ refreshToken: original, onRefreshToken: (next) => rotated.push(next), tokenManager: { clock } });
  expect((await api.GET('/api/things')).response.status).toBe(200);
  expect((await api.POST('/api/things', { body: { name: 'x' } })).response.status).toBe(200);
  expect(app.tokenRequests).toHaveLength(1);
  expect(rotated).toHaveLength(1);
  now += 3600_000;
  expect((await api.GET('/api/things')).response.status).toBe(200);
  expect(app.tokenRequests).toHaveLength(2);
  expect(rotated).toHaveLength(2);
  // Each refresh sent the latest refresh token; the first one is now refused by the server.
  expect(new URLSearchParams(app.tokenRequests[1]!.body).get('refresh_token')).toBe(rotated[0]);
  const reused = await tokenRequest(app.url, { grant_type: 'refresh_token', refresh_token: original }, { authorization: clientBasic(ROTATING.clientId, ROTATING.clientSecret) });
  expect(reused.body.error).toBe('invalid_grant');
});

test('with a shared store, the rotated refresh token reaches a process that started with the stale one', async () => {
  let now = Date.now();
  const clock = new SystemClock(() => now);
  const store = new MemoryTokenStore({ now: () => now });
  const original = await mintRefreshToken();
  const first = clientWith({ refreshToken: original, store, subject: 'user-42', tokenManager: { clock } });
  expect((await first.api.GET('/api/things')).response.status).toBe(200);
  now += 3600_000;
  // A second process, configured with the refresh token that the first one already spent.
  const second = clientWith({ refreshToken: original, store, subject: 'user-42', tokenManager: { clock } });
  expect((await second.api.GET('/api/things')).response.status).toBe(200);
  expect(app.tokenRequests).toHaveLength(2);
  expect(new URLSearchParams(app.tokenRequests[1]!.body).get('refresh_token')).not.toBe(original);
});

test('a refused refresh token is InvalidCredentialsError with invalid_grant upstream, and neither secret nor token printed', async () => {
  const original = await mintRefreshToken();
  await fetch(`${app.url}/_admin/oauth2/tokens/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: original }) });
  const { api, provider } = clientWith({ refreshToken: original });
  const caught = await api.GET('/api/things').then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(InvalidCredentialsError);
  expect(caught).toMatchObject({ code: 40101, upstream: { status: 400, error: 'invalid_grant' } });
  for (const text of [String(caught), JSON.stringify(caught), inspect(caught, { depth: 8 }), inspect(provider), JSON.stringify(provider)]) {
    expect(text).not.toContain(original);
    expect(text).not.toContain(ROTATING.clientSecret);
  }
});

test('a store without a subject is refused at construction, naming the option', () => {
  expect(() => new OAuth2RefreshToken({ clientId: 'c', refreshToken: 'r', store: new MemoryTokenStore() })).toThrow(
    expect.objectContaining({ code: 40003, message: expect.stringContaining('"subject"') }),
  );
});

test('other flows (implicit here) take a token source the user supplies', async () => {
  const token = ((await tokenRequest(app.url, { grant_type: 'client_credentials', scope: 'read' }, { authorization: clientBasic(ROTATING.clientId, ROTATING.clientSecret) })).body as { access_token: string }).access_token;
  const map = { ...security(app), operationSecurity: { 'GET /api/things': [{ implicit: ['read'] }] } } as const;
  const auth = createSpecAuth(map, { credentials: { implicit: async () => token } });
  const api = createApiClient<paths>(app.url, { middleware: [auth.middleware] });
  expect((await api.GET('/api/things')).response.status).toBe(200);
});
