import { randomUUID } from 'node:crypto';
import { createSpecAuth, SystemClock } from '../../src';
import { createApiClient } from '../../src/client';
import { OAuth2ClientCredentials, OAuth2RefreshToken } from '../../src/oauth2';
import { RedisTokenStore } from '../../src/redis';
import type { paths } from '../oauth2/api-paths';
import { ROTATING, SERVICE, startOAuth2TestApp, type OAuth2TestApp } from '../oauth2/oauth2-app';
import { describeWithRedis } from './helpers/env';

// The OAuth2 providers on the fleet store: two "processes" (each its own RedisTokenStore) share
// one token per scope set, and a rotated refresh token reaches the process that held the old one.

describeWithRedis('OAuth2 providers on RedisTokenStore', (redisUrl) => {
  let app: OAuth2TestApp;
  const stores: RedisTokenStore[] = [];
  const prefix = `tokensmith-test-${randomUUID()}:`;
  const store = () => {
    const created = new RedisTokenStore({ url: redisUrl, prefix });
    stores.push(created);
    return created;
  };
  beforeEach(async () => {
    app = await startOAuth2TestApp();
  });
  afterEach(async () => {
    await app.close();
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  const security = () =>
    ({
      defaultServerUrl: app.url,
      securitySchemes: { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth2/token', scopes: {} }, authorizationCode: { authorizationUrl: '/a', tokenUrl: '/oauth2/token', scopes: {} } } } },
      operationSecurity: { 'GET /api/things': [{ oauth: ['read'] }], 'POST /api/things': [{ oauth: ['write'] }] },
    }) as const;

  test('two processes, 500 concurrent calls each, one scope set: 1 token request across the fleet', async () => {
    const processes = [store(), store()].map((shared) => {
      const auth = createSpecAuth(security(), { credentials: { oauth: new OAuth2ClientCredentials({ ...SERVICE, store: shared }) } });
      return createApiClient<paths>(app.url, { middleware: [auth.middleware] });
    });
    const answers = await Promise.all(processes.flatMap((api) => Array.from({ length: 500 }, () => api.GET('/api/things'))));
    expect(answers.every((answer) => answer.response.status === 200)).toBe(true);
    expect(app.tokenRequests).toHaveLength(1);
  });

  test('a refresh token rotated by one process is the one the next process uses', async () => {
    let now = Date.now();
    const clock = new SystemClock(() => now);
    const minted = await fetch(`${app.url}/_admin/oauth2/refresh-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: ROTATING.clientId }) });
    const original = ((await minted.json()) as { refresh_token: string }).refresh_token;
    const subject = `user-${randomUUID()}`;
    const client = (shared: RedisTokenStore) => {
      const provider = new OAuth2RefreshToken({ clientId: ROTATING.clientId, clientSecret: ROTATING.clientSecret, refreshToken: original, store: shared, subject, tokenManager: { clock } });
      return createApiClient<paths>(app.url, { middleware: [createSpecAuth(security(), { credentials: { oauth: provider } }).middleware] });
    };
    expect((await client(store()).GET('/api/things')).response.status).toBe(200);
    now += 2 * 3600_000;
    expect((await client(store()).GET('/api/things')).response.status).toBe(200);
    expect(app.tokenRequests).toHaveLength(2);
    expect(new URLSearchParams(app.tokenRequests[1]!.body).get('refresh_token')).not.toBe(original);
  });
});
