import { decodeJwt, decodeProtectedHeader } from 'jose';
import { clientBasic, OAUTH2_SECRETS, ROTATING, SERVICE, startOAuth2TestApp, tokenRequest, type OAuth2TestApp } from '../oauth2/oauth2-app';
import { adminClient, resolveServerConfig } from '../../tokensmith-server/src/server';
import { headerText, startTestServer } from './helpers';

// The OAuth2 authorization server (RFC 6749 §4.4, §5, §6) over real HTTP.

const open: OAuth2TestApp[] = [];
const seen: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});
afterAll(() => {
  for (const text of seen) for (const secret of OAUTH2_SECRETS) expect(text).not.toContain(secret);
});

async function start(): Promise<OAuth2TestApp> {
  const app = await startOAuth2TestApp();
  open.push(app);
  return app;
}

async function grant(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const answer = await tokenRequest(url, form, headers);
  seen.push(JSON.stringify(answer.body ?? ''), headerText(answer.headers));
  return answer;
}

const basicOf = (client: { clientId: string; clientSecret: string }) => ({ authorization: clientBasic(client.clientId, client.clientSecret) });
const postOf = (client: { clientId: string; clientSecret: string }) => ({ client_id: client.clientId, client_secret: client.clientSecret });

describe('client_credentials (RFC 6749 §4.4)', () => {
  test('client_secret_basic: a signed JWT with exp, iat, scope, client_id, jti and iss; no-store', async () => {
    const { url, clock } = await start();
    const answer = await grant(url, { grant_type: 'client_credentials', scope: 'read write' }, basicOf(SERVICE));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'read write' });
    expect(answer.body.refresh_token).toBeUndefined();
    const claims = decodeJwt(answer.body.access_token);
    expect(decodeProtectedHeader(answer.body.access_token).alg).toBe('HS256');
    expect(claims).toMatchObject({ iss: url, client_id: SERVICE.clientId, scope: 'read write', iat: clock.ms / 1000, exp: clock.ms / 1000 + 3600 });
    expect(claims.jti).toEqual(expect.any(String));
  });

  test('client_secret_post, and every allowed scope when the request names none', async () => {
    const { url } = await start();
    const answer = await grant(url, { grant_type: 'client_credentials', ...postOf(SERVICE) });
    expect(answer.status).toBe(200);
    expect(answer.body.scope).toBe('read write admin');
  });

  test.each([
    ['a wrong secret with Basic', basicOf({ ...SERVICE, clientSecret: 'wrong-secret' }), {}, true],
    ['an unknown client with Basic', basicOf({ clientId: 'nobody', clientSecret: SERVICE.clientSecret }), {}, true],
    ['a wrong secret in the body', {}, postOf({ ...SERVICE, clientSecret: 'wrong-secret' }), false],
    ['Basic that is not form-encoded id:secret', { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }, {}, true],
    ['a Bearer Authorization header', { authorization: 'Bearer abc' }, {}, true],
    ['no client authentication at all', {}, {}, true],
  ])('%s: 401 invalid_client (WWW-Authenticate when the header was used)', async (_case, headers, body, challenge) => {
    const { url } = await start();
    const answer = await grant(url, { grant_type: 'client_credentials', ...body }, headers);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('www-authenticate') !== null).toBe(challenge);
  });

  test.each([
    ['both Basic and client_secret in the body', { grant_type: 'client_credentials', client_secret: 'x' }, 400, 'invalid_request'],
    ['a scope the client is not allowed', { grant_type: 'client_credentials', scope: 'read delete' }, 400, 'invalid_scope'],
    ['a scope with a quote in it', { grant_type: 'client_credentials', scope: 'read "x' }, 400, 'invalid_scope'],
    ['grant_type password', { grant_type: 'password', username: 'u', password: 'p' }, 400, 'unsupported_grant_type'],
    ['no grant_type', {}, 400, 'invalid_request'],
    ['refresh_token without the token', { grant_type: 'refresh_token' }, 400, 'invalid_request'],
  ])('%s (form %j): %i %s', async (_case, form, status, error) => {
    const { url } = await start();
    const answer = await grant(url, form, basicOf(SERVICE));
    expect({ status: answer.status, error: answer.body.error }).toEqual({ status, error });
  });

  test('a repeated parameter, a JSON body, an oversized body and a GET are refused with 4xx and an RFC 6749 body', async () => {
    const { url } = await start();
    const post = (body: string, type: string) =>
      fetch(`${url}/oauth2/token`, { method: 'POST', headers: { 'content-type': type, ...basicOf(SERVICE) }, body }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(await post('grant_type=client_credentials&scope=read&scope=write', 'application/x-www-form-urlencoded')).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: 'scope must not be repeated' } });
    expect(await post('{"grant_type":"client_credentials"}', 'application/json')).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await post(`grant_type=client_credentials&scope=${'a'.repeat(9000)}`, 'application/x-www-form-urlencoded')).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const get = await fetch(`${url}/oauth2/token`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('refresh_token (RFC 6749 §6), with rotation', () => {
  test('a refresh gives a new access token and a new refresh token; the old refresh token is then refused', async () => {
    const { url } = await start();
    const first = await grant(url, { grant_type: 'client_credentials', scope: 'read write' }, basicOf(ROTATING));
    expect(first.body.refresh_token).toEqual(expect.any(String));
    const second = await grant(url, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token, scope: 'read' }, basicOf(ROTATING));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ token_type: 'Bearer', scope: 'read', refresh_token: expect.any(String) });
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    const reused = await grant(url, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, basicOf(ROTATING));
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The rotated token keeps the original grant, so it may ask for write again.
    const third = await grant(url, { grant_type: 'refresh_token', refresh_token: second.body.refresh_token, ...postOf(ROTATING) });
    expect(third.body.scope).toBe('read write');
  });

  test("another client's refresh token, a widened scope and an expired refresh token are refused", async () => {
    const { url, clock } = await start();
    const { body } = await grant(url, { grant_type: 'client_credentials', scope: 'read' }, basicOf(ROTATING));
    expect((await grant(url, { grant_type: 'refresh_token', refresh_token: body.refresh_token }, basicOf(SERVICE))).body.error).toBe('invalid_grant');
    expect((await grant(url, { grant_type: 'refresh_token', refresh_token: body.refresh_token, scope: 'write' }, basicOf(ROTATING))).body.error).toBe('invalid_scope');
    clock.ms += 24 * 3600_000 + 1;
    expect((await grant(url, { grant_type: 'refresh_token', refresh_token: body.refresh_token }, basicOf(ROTATING))).body.error).toBe('invalid_grant');
  });
});

describe('verify (what a resource server checks) and the test controls', () => {
  const call = (url: string, token: string) => fetch(`${url}/api/things`, { headers: { authorization: `Bearer ${token}` } });
  async function token(url: string, scope = 'read'): Promise<string> {
    return (await grant(url, { grant_type: 'client_credentials', scope }, basicOf(SERVICE))).body.access_token;
  }
  const admin = (url: string, path: string, body: unknown) =>
    fetch(`${url}/_admin/oauth2${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());

  test('a fresh token passes; its exp passing, expire and revoke make it invalid_token with the reason', async () => {
    const { url, authority, clock } = await start();
    const [a, b, c] = [await token(url), await token(url), await token(url)];
    expect(await authority.verify(a)).toMatchObject({ ok: true, clientId: SERVICE.clientId, scopes: ['read'] });
    expect((await call(url, a)).status).toBe(200);
    expect(await admin(url, '/tokens/expire', { token: a })).toEqual({ affected: 1 });
    expect(await admin(url, '/tokens/revoke', { token: b })).toEqual({ affected: 1 });
    expect(await authority.verify(a)).toEqual({ ok: false, reason: 'expired' });
    expect(await authority.verify(b)).toEqual({ ok: false, reason: 'revoked' });
    const refused = await call(url, b);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer realm="tokensmith", error="invalid_token"/);
    expect((await authority.verify(c)).ok).toBe(true);
    clock.ms += 3600_000;
    expect(await authority.verify(c)).toEqual({ ok: false, reason: 'expired' });
  });

  test('forged, tampered, foreign-issuer and forgotten tokens are invalid; a missing scope is 403 insufficient_scope', async () => {
    const { url, authority } = await start();
    const good = await token(url);
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const widened = Buffer.from(JSON.stringify({ ...decodeJwt(good), scope: 'admin' })).toString('base64url');
    for (const bad of ['not-a-jwt', `${header}.${widened}.${signature}`, `${header}.${payload}.${'A'.repeat(signature.length)}`]) {
      expect(await authority.verify(bad)).toEqual({ ok: false, reason: 'invalid' });
    }
    const insufficient = await fetch(`${url}/api/things`, { method: 'POST', headers: { authorization: `Bearer ${good}`, 'content-type': 'application/json' }, body: '{}' });
    expect(insufficient.status).toBe(403);
    expect(insufficient.headers.get('www-authenticate')).toBe('Bearer realm="tokensmith", error="insufficient_scope", scope="write"');
    authority.setIssuer('http://elsewhere.invalid');
    expect(await authority.verify(good)).toEqual({ ok: false, reason: 'invalid' });
    authority.setIssuer(url);
    await fetch(`${url}/_admin/oauth2/reset`, { method: 'POST' });
    expect(await authority.verify(good)).toEqual({ ok: false, reason: 'invalid' });
  });

  test('revoke by client revokes its access and refresh tokens; minted refresh tokens work once', async () => {
    const { url, authority } = await start();
    const access = await token(url);
    const minted = await admin(url, '/refresh-tokens', { clientId: SERVICE.clientId, scopes: ['read'] });
    const refreshed = await grant(url, { grant_type: 'refresh_token', refresh_token: minted.refresh_token }, basicOf(SERVICE));
    expect(refreshed.body.scope).toBe('read');
    expect(await admin(url, '/tokens/revoke', { clientId: SERVICE.clientId })).toEqual({ affected: 3 });
    expect(await authority.verify(access)).toEqual({ ok: false, reason: 'revoked' });
    expect((await grant(url, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token }, basicOf(SERVICE))).body.error).toBe('invalid_grant');
    expect(await admin(url, '/refresh-tokens', { clientId: 'nobody' })).toMatchObject({ error: 'invalid_request' });
  });

  test('the token store is bounded in bytes: past it the oldest tokens are forgotten (and refused)', async () => {
    const { OAuth2Authority } = await import('../../tokensmith-server/src/server/oauth2');
    const authority = new OAuth2Authority({ clients: [SERVICE], maxTokenStoreBytes: 4096 });
    const client = authority.authenticateClient(SERVICE.clientId, SERVICE.clientSecret)!;
    const tokens: string[] = [];
    for (let i = 0; i < 50; i++) tokens.push(((await authority.clientCredentials(client, 'read')) as { access_token: string }).access_token);
    expect(authority.stats().storeBytes).toBeLessThanOrEqual(4096);
    expect(await authority.verify(tokens[0] as string)).toEqual({ ok: false, reason: 'invalid' });
    expect((await authority.verify(tokens[49] as string)).ok).toBe(true);
  });
});

describe('the cache of verified tokens', () => {
  const call = (url: string, token: string) => fetch(`${url}/api/things`, { headers: { authorization: `Bearer ${token}` } });
  async function token(url: string): Promise<string> {
    return (await grant(url, { grant_type: 'client_credentials', scope: 'read' }, basicOf(SERVICE))).body.access_token;
  }
  const admin = (url: string, path: string, body: unknown) =>
    fetch(`${url}/_admin/oauth2${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const stats = async (url: string) => (await (await fetch(`${url}/_admin/oauth2/stats`)).json()) as { verifiedCacheTokens: number; verifiedCacheBytes: number };
  async function refusal(url: string, token: string): Promise<string | null> {
    const answer = await call(url, token);
    expect(answer.status).toBe(401);
    return answer.headers.get('www-authenticate');
  }

  test('after a token passed once, expire, revoke, revoke by client and reset still answer 401 invalid_token', async () => {
    const { url } = await start();
    const tokens = [await token(url), await token(url), await token(url), await token(url)];
    for (const each of tokens) expect((await call(url, each)).status).toBe(200);
    expect(await stats(url)).toMatchObject({ verifiedCacheTokens: 4 });
    const [expired, revoked, ofClient, afterReset] = tokens as [string, string, string, string];
    await admin(url, '/tokens/expire', { token: expired });
    expect(await refusal(url, expired)).toBe('Bearer realm="tokensmith", error="invalid_token", error_description="token expired"');
    await admin(url, '/tokens/revoke', { token: revoked });
    expect(await refusal(url, revoked)).toContain('error_description="token revoked"');
    expect((await call(url, ofClient)).status).toBe(200);
    await admin(url, '/tokens/revoke', { clientId: SERVICE.clientId });
    expect(await refusal(url, ofClient)).toContain('error_description="token revoked"');
    expect(await refusal(url, afterReset)).toContain('error_description="token revoked"');
    const fresh = await token(url);
    expect((await call(url, fresh)).status).toBe(200);
    await admin(url, '/tokens/expire', {});
    expect(await refusal(url, fresh)).toContain('error_description="token expired"');
    const last = await token(url);
    expect((await call(url, last)).status).toBe(200);
    await admin(url, '/reset', {});
    expect(await stats(url)).toMatchObject({ verifiedCacheTokens: 0, verifiedCacheBytes: 0 });
    expect(await refusal(url, last)).toContain('error_description="token invalid"');
  });

  test('a remembered token expires on the server clock to the second, as the full check does', async () => {
    const { url, authority, clock } = await start();
    const remembered = await token(url);
    const exp = decodeJwt(remembered).exp as number;
    expect((await call(url, remembered)).status).toBe(200);
    clock.ms = exp * 1000 - 1;
    expect((await call(url, remembered)).status).toBe(200);
    clock.ms = exp * 1000;
    expect(await refusal(url, remembered)).toContain('error_description="token expired"');
    // The clock going back makes it pass again, as jose would; the entry is still there.
    clock.ms = exp * 1000 - 1;
    expect(await authority.verify(remembered)).toMatchObject({ ok: true });
    expect(await stats(url)).toMatchObject({ verifiedCacheTokens: 1 });
  });

  test('forged and tampered tokens are never remembered; a token of another issuer is checked in full again', async () => {
    const { url, authority } = await start();
    const good = await token(url);
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const widened = Buffer.from(JSON.stringify({ ...decodeJwt(good), scope: 'admin read' })).toString('base64url');
    const forged = [`${header}.${widened}.${signature}`, `${header}.${payload}.${'A'.repeat(signature.length)}`, `${header}.${payload}.${signature}x`];
    for (const bad of forged) expect(await refusal(url, bad)).toContain('error_description="token invalid"');
    expect(await stats(url)).toMatchObject({ verifiedCacheTokens: 0, verifiedCacheBytes: 0 });
    expect((await call(url, good)).status).toBe(200);
    // Twice: the second is answered from the cache, and still refuses the forgeries.
    for (const bad of forged) expect(await refusal(url, bad)).toContain('error_description="token invalid"');
    expect(await stats(url)).toMatchObject({ verifiedCacheTokens: 1 });
    authority.setIssuer('http://elsewhere.invalid');
    expect(await refusal(url, good)).toContain('error_description="token invalid"');
    authority.setIssuer(url);
    expect((await call(url, good)).status).toBe(200);
  });

  test('the cache is bounded in bytes: past it the oldest are forgotten and verified in full on their next use', async () => {
    const { OAuth2Authority } = await import('../../tokensmith-server/src/server/oauth2');
    const authority = new OAuth2Authority({ clients: [SERVICE], maxVerifiedCacheBytes: 4096 });
    const client = authority.authenticateClient(SERVICE.clientId, SERVICE.clientSecret)!;
    const tokens: string[] = [];
    for (let i = 0; i < 200; i++) {
      tokens.push(((await authority.clientCredentials(client, 'read')) as { access_token: string }).access_token);
      expect((await authority.verify(tokens[i] as string)).ok).toBe(true);
      expect(authority.stats().verifiedCacheBytes).toBeLessThanOrEqual(4096);
    }
    expect(authority.stats().verifiedCacheTokens).toBeGreaterThan(0);
    expect(authority.stats().verifiedCacheTokens).toBeLessThan(10);
    expect((await authority.verify(tokens[0] as string)).ok).toBe(true);
    expect(() => new OAuth2Authority({ maxVerifiedCacheBytes: 0 })).toThrow(/oauth2\.maxVerifiedCacheBytes/);
  });
});

describe('in the local auth server', () => {
  test('discovery document, token endpoint, demo-style config; admin stats count issued tokens', async () => {
    const client = { clientId: 'cfg-client', clientSecret: 'cfg-client-secret', scopes: ['orders:read'] };
    const server = await startTestServer({ config: { oauth2: { clients: [client] } } });
    const discovery = await server.call('GET', '/.well-known/openid-configuration');
    expect(discovery.body).toMatchObject({
      issuer: server.url,
      token_endpoint: `${server.url}/oauth2/token`,
      grant_types_supported: ['client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['orders:read'],
    });
    const answer = await tokenRequest(server.url, { grant_type: 'client_credentials' }, basicOf(client));
    expect(answer.status).toBe(200);
    expect(decodeJwt(answer.body.access_token).iss).toBe(server.url);
    const wrong = await tokenRequest(server.url, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'nope-nope' });
    expect(wrong.status).toBe(401);
    expect((await server.call('GET', '/_admin/oauth2/stats')).body).toMatchObject({ tokensIssued: 1 });
    expect((await server.call('POST', '/_admin/reset')).status).toBe(204);
    expect((await server.call('GET', '/_admin/oauth2/stats')).body).toMatchObject({ tokensIssued: 0 });
  });

  test('adminClient drives the OAuth2 controls: mint a refresh token, revoke by client, expire, stats', async () => {
    const client = { clientId: 'cfg-client', clientSecret: 'cfg-client-secret', scopes: ['a', 'b'] };
    const server = await startTestServer({ config: { oauth2: { clients: [client] } } });
    const admin = adminClient(server.url);
    const refreshToken = await admin.mintOAuth2RefreshToken(client.clientId, ['a']);
    const refreshed = await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: refreshToken }, basicOf(client));
    expect(refreshed.body.scope).toBe('a');
    expect(await admin.expireOAuth2Token(refreshed.body.access_token)).toBe(1);
    expect(await admin.revokeOAuth2Client(client.clientId)).toBe(2);
    expect((await tokenRequest(server.url, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token }, basicOf(client))).body.error).toBe('invalid_grant');
    expect(await admin.oauth2Stats()).toMatchObject({ tokensIssued: 1, refreshTokensIssued: 2 });
    expect(await admin.revokeOAuth2Token('unknown')).toBe(0);
  });

  test.each([
    [{ clients: [{ clientId: '', clientSecret: 'long-enough', scopes: [] }] }, 'oauth2.clients[0].clientId'],
    [{ clients: [{ clientId: 'a', clientSecret: 'short', scopes: [] }] }, 'oauth2.clients[0].clientSecret'],
    [{ clients: [{ clientId: 'a', clientSecret: 'long-enough', scopes: ['has space'] }] }, 'oauth2.clients[0].scopes'],
    [{ clients: [{ clientId: 'a', clientSecret: 'long-enough', scopes: [], tokenTtlSeconds: 0 }] }, 'oauth2.clients[0].tokenTtlSeconds'],
    [{ clients: [{ clientId: 'a', clientSecret: 'long-enough', scopes: [], color: 1 }] }, 'oauth2.clients[0].color'],
    [{ clients: [{ clientId: 'a', clientSecret: 'long-enough', scopes: [] }, { clientId: 'a', clientSecret: 'long-enough', scopes: [] }] }, 'oauth2.clients[1].clientId'],
    [{ signingSecret: 'short' }, 'oauth2.signingSecret'],
    [{ tokenTtlSeconds: -1 }, 'oauth2.tokenTtlSeconds'],
    [{ extra: true }, 'oauth2.extra'],
  ])('config %j is refused with 40003 naming %s, never a value', (oauth2, field) => {
    let caught: any;
    try {
      resolveServerConfig({ oauth2 } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 40003 });
    expect(caught.message).toContain(field);
    expect(caught.message).not.toContain('long-enough');
  });
});
