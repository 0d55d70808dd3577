/**
 * The official `ably` SDK, unchanged and at default settings (binary protocol, its own headers),
 * against the local server: the calls Ably's portable integration specs (uts/rest/integration) and
 * the SDK's own test harness rely on. Apps come from `POST /apps` with a sandbox-shaped body.
 */
import * as Ably from 'ably';
import { SignJWT } from 'jose';
import { TestClock, basic, bearer, useSuiteServer } from './helpers';

// The SDK signs TokenRequests and JWTs with its own clock, so the server clock starts at real time.
const suite = useSuiteServer({ clock: new TestClock(Date.now()) });

// The shape of ably-common's test-app-setup.json `post_apps` (written here, not copied).
const SANDBOX_APP = {
  limits: { presence: { maxMembers: 250 } },
  keys: [
    {},
    { capability: '{ "cansubscribe:*":["subscribe"], "canpublish:*":["publish"] }' },
    { capability: '{ "channel0":["publish"], "channel6":["*"] }' },
    { capability: '{ "*":["subscribe"] }' },
    { revocableTokens: true },
    { capability: '{ "[*]*":["*"] }' },
  ],
  namespaces: [{ id: 'persisted', persisted: true }, { id: 'pushenabled', pushEnabled: true }],
  channels: [{ name: 'persisted:presence_fixtures', presence: [{ clientId: 'client_bool', data: 'true' }] }],
};

interface ProvisionedKey {
  keyName: string;
  keySecret: string;
  keyStr: string;
  capability: string;
}
interface ProvisionedApp {
  appId: string;
  keys: ProvisionedKey[];
  namespaces: Array<{ id: string }>;
}

async function provisionApp(body: unknown = SANDBOX_APP): Promise<ProvisionedApp> {
  const response = await suite().call('POST', '/apps', { json: body, headers: { accept: 'application/json' } });
  expect(response.status).toBe(201);
  return response.body as ProvisionedApp;
}

function rest(options: Ably.ClientOptions): Ably.Rest {
  const port = Number(new URL(suite().url).port);
  return new Ably.Rest({ restHost: '127.0.0.1', port, tls: false, logLevel: 0, ...options });
}

async function jwtFor(key: ProvisionedKey, claims: Record<string, unknown> = {}, ttlSeconds = 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', kid: key.keyName, typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(new TextEncoder().encode(key.keySecret));
}

describe('POST /apps and DELETE /apps/{appId} (the SDK test harness set-up)', () => {
  test('a sandbox-shaped body gets the sandbox-shaped answer: appId, one key per key asked, namespaces', async () => {
    const app = await provisionApp();
    expect(app.appId).toMatch(/^app[0-9a-f]+$/);
    expect(app.keys).toHaveLength(SANDBOX_APP.keys.length);
    expect(app.namespaces.map((namespace) => namespace.id)).toEqual(['persisted', 'pushenabled']);
    for (const key of app.keys) {
      expect(key.keyName.startsWith(`${app.appId}.`)).toBe(true);
      expect(key.keyStr).toBe(`${key.keyName}:${key.keySecret}`);
    }
    expect(JSON.parse(app.keys[0]!.capability)).toEqual({ '*': ['*'] });
    expect(JSON.parse(app.keys[2]!.capability)).toEqual({ channel0: ['publish'], channel6: ['*'] });
  });

  test("the SDK publishes and reads history with a provisioned key; the key's capability is enforced", async () => {
    const app = await provisionApp();
    const client = rest({ key: app.keys[0]!.keyStr });
    await client.channels.get('harness').publish('greeting', 'hello');
    expect((await client.channels.get('harness').history()).items.map((m) => m.data)).toEqual(['hello']);
    const limited = rest({ key: app.keys[2]!.keyStr });
    await limited.channels.get('channel0').publish('x', 'y');
    await expect(limited.channels.get('channel1').publish('x', 'y')).rejects.toMatchObject({ code: 40160, statusCode: 401 });
  });

  test('apps are isolated: own keys, tokens and channels', async () => {
    const [first, second] = [await provisionApp(), await provisionApp()];
    await rest({ key: first.keys[0]!.keyStr }).channels.get('shared-name').publish('only', 'first');
    expect((await rest({ key: second.keys[0]!.keyStr }).channels.get('shared-name').history()).items).toEqual([]);
    const token = await rest({ key: first.keys[0]!.keyStr }).auth.requestToken();
    // A token of one app is unknown to another: the same request against the other app's key path fails.
    const crossed = await suite().call('GET', '/channels/shared-name/messages', { headers: { authorization: bearer(token.token) } });
    expect(crossed.status).toBe(200);
    expect(crossed.body).toHaveLength(1);
    const otherKeyOnFirstApp = await suite().call('POST', `/keys/${first.keys[0]!.keyName.replace(first.appId, second.appId)}/requestToken`, {
      json: {},
      headers: { authorization: basic(first.keys[0]!.keyStr) },
    });
    expect(otherKeyOnFirstApp.status).toBe(401);
    expect(otherKeyOnFirstApp.body.error.code).toBe(40400);
  });

  test('DELETE /apps/{appId} with Basic auth of one of its keys removes it; its keys are then unknown (401/40400)', async () => {
    const app = await provisionApp();
    const refused = await suite().call('DELETE', `/apps/${app.appId}`);
    expect(refused.status).toBe(401);
    const deleted = await suite().call('DELETE', `/apps/${app.appId}`, { headers: { authorization: basic(app.keys[0]!.keyStr) } });
    expect(deleted.status).toBe(204);
    const after = await rest({ key: app.keys[0]!.keyStr }).request('GET', '/channels/gone', 2, {}, undefined, {});
    expect({ statusCode: after.statusCode, errorCode: after.errorCode }).toEqual({ statusCode: 401, errorCode: 40400 });
  });
});

describe('GET /channels/{channelId}: channel details with each credential kind (uts/rest/integration/auth.md)', () => {
  test.each<[string, (app: ProvisionedApp) => Promise<Ably.ClientOptions>]>([
    ['RSA4 Basic auth with the key', async (app) => ({ key: app.keys[0]!.keyStr })],
    ['RSA8 a JWT', async (app) => ({ token: await jwtFor(app.keys[0]!) })],
    ['RSA8 a native token from requestToken', async (app) => ({ token: (await rest({ key: app.keys[0]!.keyStr }).auth.requestToken()).token })],
    ['RSA8 an authCallback giving a TokenRequest', async (app) => {
      const signer = rest({ key: app.keys[0]!.keyStr });
      return { authCallback: (params, done) => void signer.auth.createTokenRequest(params).then((request) => done(null, request), (error) => done(error, null)) };
    }],
    ['RSA8 an authCallback giving a JWT', async (app) => ({ authCallback: (_params, done) => void jwtFor(app.keys[0]!).then((jwt) => done(null, jwt)) })],
  ])('%s: request() and channel.status() succeed', async (_name, options) => {
    const app = await provisionApp();
    const client = rest(await options(app));
    const response = await client.request('GET', '/channels/test-RSA-probe', 2, {}, undefined, {});
    expect(response.statusCode).toBe(200);
    const details = await client.channels.get('test-RSA-probe').status();
    expect(details.channelId).toBe('test-RSA-probe');
    expect(details.status.isActive).toBe(false);
    expect(details.status.occupancy.metrics.connections).toBe(0);
  });

  test('isActive once the channel holds messages', async () => {
    const app = await provisionApp();
    const client = rest({ key: app.keys[0]!.keyStr });
    await client.channels.get('busy').publish('x', 'y');
    expect((await client.channels.get('busy').status()).status.isActive).toBe(true);
  });

  test('needs channel-metadata on the channel: a publish-only key gets 40160', async () => {
    const app = await provisionApp();
    await expect(rest({ key: app.keys[2]!.keyStr }).channels.get('channel0').status()).rejects.toMatchObject({ code: 40160, statusCode: 401 });
    expect((await rest({ key: app.keys[2]!.keyStr }).channels.get('channel6').status()).channelId).toBe('channel6');
  });
});

describe('unknown key: 401 with 40400 on every route, before any 404', () => {
  test.each<[string, string, unknown]>([
    ['GET', '/channels/test-RSA4-invalid', undefined],
    ['GET', '/channels/test-RSA4-invalid/messages', undefined],
    ['POST', '/channels/test-RSA4-invalid/messages', { name: 'n', data: 'd' }],
    ['GET', '/stats', undefined],
    ['GET', '/no/such/route', undefined],
    ['POST', '/keys/testApp.invalidKey/revokeTokens', { targets: ['clientId:x'] }],
  ])('%s %s', async (method, path, body) => {
    const app = await provisionApp();
    const client = rest({ key: `${app.appId}.invalidKey:invalidSecret` });
    const response = await client.request(method, path, 2, {}, body, {});
    expect({ statusCode: response.statusCode, errorCode: response.errorCode }).toEqual({ statusCode: 401, errorCode: 40400 });
  });

  test('requestToken for an unknown key through the SDK rejects with 40400/401', async () => {
    await expect(rest({ key: 'testApp.invalidKey:invalidSecret' }).auth.requestToken()).rejects.toMatchObject({ code: 40400, statusCode: 401 });
  });
});

describe('capability refusals (ably-js rest/capability "Invalid capabilities")', () => {
  test.each([
    ['an unknown operation', { channel0: ['publish_'] }],
    ['"*" mixed with another operation', { channel0: ['*', 'publish'] }],
    ['an empty operation list', { channel0: [] }],
  ])('%s: requestToken is refused with HTTP 400', async (_name, capability) => {
    const app = await provisionApp();
    await expect(rest({ key: app.keys[0]!.keyStr }).auth.requestToken({ capability: JSON.stringify(capability) })).rejects.toMatchObject({ statusCode: 400, code: 40000 });
  });

  test.each([
    ['no operation in common', 1, { 'canpublish:test': ['subscribe'] }],
    ['no resource in common', 2, { channelx: ['publish'] }],
  ])('an empty intersection (%s) is 401 with 40160', async (_name, keyIndex, capability) => {
    const app = await provisionApp();
    await expect(rest({ key: app.keys[keyIndex]!.keyStr }).auth.requestToken({ capability: JSON.stringify(capability) })).rejects.toMatchObject({ statusCode: 401, code: 40160 });
  });

  test('a wildcard request against a narrower key gets the key\'s operations', async () => {
    const app = await provisionApp();
    const details = await rest({ key: app.keys[2]!.keyStr }).auth.requestToken({ capability: { channel6: ['publish', 'subscribe'] } });
    expect(JSON.parse(details.capability)).toEqual({ channel6: ['publish', 'subscribe'] });
  });
});

describe('data: null', () => {
  test('the SDK publishing null data, and a raw message with "data": null, are both accepted and served back', async () => {
    const app = await provisionApp();
    const client = rest({ key: app.keys[0]!.keyStr });
    await client.channels.get('nulls').publish('event0', null);
    const raw = await client.request('POST', '/channels/nulls/messages', 2, {}, { name: 'explicit', data: null }, {});
    expect(raw.statusCode).toBe(201);
    const names = (await client.channels.get('nulls').history({ direction: 'forwards' })).items.map((m) => [m.name, m.data ?? null]);
    expect(names).toEqual([['event0', null], ['explicit', null]]);
  });
});

describe('RSA7e X-Ably-ClientId with Basic auth', () => {
  test('RSA7e2 RSL1m1: a key client with a clientId publishes without one and history shows it', async () => {
    const app = await provisionApp();
    const client = rest({ key: app.keys[0]!.keyStr, clientId: 'implicit_client_id_0', useBinaryProtocol: false });
    await client.channels.get('rest_implicit_client_id_0').publish('event0', null);
    const [message] = (await client.channels.get('rest_implicit_client_id_0').history()).items;
    expect(message?.clientId).toBe('implicit_client_id_0');
  });

  test('RSA7e2 with msgpack too, and an explicit matching clientId is kept', async () => {
    const app = await provisionApp();
    const client = rest({ key: app.keys[0]!.keyStr, clientId: 'explicit_client_id_0' });
    await client.channels.get('explicit').publish({ name: 'event0', clientId: 'explicit_client_id_0' });
    expect((await client.channels.get('explicit').history()).items[0]?.clientId).toBe('explicit_client_id_0');
  });

  test('a message clientId other than the header\'s is refused with 40012 and not stored', async () => {
    const app = await provisionApp();
    const headers = { authorization: basic(app.keys[0]!.keyStr), 'x-ably-clientid': Buffer.from('alice').toString('base64') };
    const response = await suite().call('POST', '/channels/claimed/messages', { json: { name: 'n', clientId: 'mallory' }, headers });
    expect({ status: response.status, code: response.body.error.code }).toEqual({ status: 400, code: 40012 });
    const history = await suite().call('GET', '/channels/claimed/messages', { headers: { authorization: basic(app.keys[0]!.keyStr) } });
    expect(history.body).toEqual([]);
  });

  test.each([
    ['not base64', 'not base64!'],
    ['the wildcard', Buffer.from('*').toString('base64')],
  ])('a header that is %s is refused with 40012', async (_name, header) => {
    const app = await provisionApp();
    const response = await suite().call('GET', '/channels/x', { headers: { authorization: basic(app.keys[0]!.keyStr), 'x-ably-clientid': header } });
    expect({ status: response.status, code: response.body.error.code }).toEqual({ status: 400, code: 40012 });
  });

  test("a token bound to another clientId is refused with 40102; the token's own id is accepted", async () => {
    const app = await provisionApp();
    const token = await rest({ key: app.keys[0]!.keyStr }).auth.requestToken({ clientId: 'alice' });
    const claim = (clientId: string) =>
      suite().call('GET', '/channels/x', { headers: { authorization: bearer(token.token), 'x-ably-clientid': Buffer.from(clientId).toString('base64') } });
    const refused = await claim('bob');
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 401, code: 40102 });
    expect((await claim('alice')).status).toBe(200);
  });
});

describe('RSA17 revokeTokens (uts/rest/integration/revoke_tokens.md)', () => {
  test('RSA17g RSA17b RSA17c TRS2: the SDK revokes by clientId; the revoked token then gets 40141', async () => {
    const app = await provisionApp();
    const keyClient = rest({ key: app.keys[4]!.keyStr });
    const token = await keyClient.auth.requestToken({ clientId: 'revoke-client-1' });
    suite().clock.advance(1); // revocation covers tokens issued before it: let it come after this one
    const before = await suite().call('GET', '/channels/r', { headers: { authorization: bearer(token.token) } });
    expect(before.status).toBe(200);
    const result = await keyClient.auth.revokeTokens([{ type: 'clientId', value: 'revoke-client-1' }]);
    expect(result.successCount).toBe(1);
    expect(result.failureCount).toBe(0);
    expect(result.results[0]).toMatchObject({ target: 'clientId:revoke-client-1' });
    expect(typeof (result.results[0] as Ably.TokenRevocationSuccessResult).issuedBefore).toBe('number');
    expect(typeof (result.results[0] as Ably.TokenRevocationSuccessResult).appliesAt).toBe('number');
    const after = await suite().call('GET', '/channels/r', { headers: { authorization: bearer(token.token) } });
    expect({ status: after.status, code: after.body.error.code }).toEqual({ status: 401, code: 40141 });
    suite().clock.advance(1);
    const fresh = await keyClient.auth.requestToken({ clientId: 'revoke-client-1' });
    const renewed = await suite().call('GET', '/channels/r', { headers: { authorization: bearer(fresh.token) } });
    expect(renewed.status).toBe(200);
  });

  test('RSA17c TRF2: a mixed batch has one success and one failure with an ErrorInfo of status 400', async () => {
    const app = await provisionApp();
    const result = await rest({ key: app.keys[4]!.keyStr }).auth.revokeTokens([
      { type: 'clientId', value: 'revoke-mixed' },
      { type: 'invalidType', value: 'abc' },
    ]);
    expect({ successCount: result.successCount, failureCount: result.failureCount }).toEqual({ successCount: 1, failureCount: 1 });
    expect(result.results[1]).toMatchObject({ target: 'invalidType:abc', error: { statusCode: 400 } });
  });

  test('RSA17e RSA17f: issuedBefore is echoed and allowReauthMargin postpones appliesAt by 30 s', async () => {
    const app = await provisionApp();
    const client = rest({ key: app.keys[4]!.keyStr });
    const serverTime = await client.time();
    const issuedBefore = serverTime - 20 * 60_000;
    const result = await client.auth.revokeTokens([{ type: 'clientId', value: 'margin' }], { issuedBefore, allowReauthMargin: true });
    const [success] = result.results as Ably.TokenRevocationSuccessResult[];
    expect(success?.issuedBefore).toBe(issuedBefore);
    expect(success!.appliesAt).toBeGreaterThanOrEqual(serverTime + 30_000);
  });

  test('a JWT is revoked by its x-ably-revocation-key claim', async () => {
    const app = await provisionApp();
    const jwt = await jwtFor(app.keys[4]!, { 'x-ably-revocation-key': 'group-1' });
    suite().clock.ms = Date.now() + 1_000; // after the JWT's iat, which the SDK side stamped from the real clock
    await rest({ key: app.keys[4]!.keyStr }).auth.revokeTokens([{ type: 'revocationKey', value: 'group-1' }]);
    const response = await suite().call('GET', '/channels/x', { headers: { authorization: bearer(jwt) } });
    expect({ status: response.status, code: response.body.error.code }).toEqual({ status: 401, code: 40141 });
    // The SDK, holding only that JWT, sees the 40141 and has no means to renew.
    await expect(rest({ token: jwt }).channels.get('x').status()).rejects.toMatchObject({ code: 40171, statusCode: 403 });
  });

  test('RSA17d: the SDK on token auth is refused with 40162 before sending', async () => {
    const app = await provisionApp();
    const client = rest({ token: await jwtFor(app.keys[4]!), useBinaryProtocol: false });
    await expect(client.auth.revokeTokens([{ type: 'clientId', value: 'anyone' }])).rejects.toMatchObject({ code: 40162, statusCode: 401 });
  });

  test('a key without revocable tokens is refused with 40164; another key than the path\'s with 40133', async () => {
    const app = await provisionApp();
    await expect(rest({ key: app.keys[0]!.keyStr }).auth.revokeTokens([{ type: 'clientId', value: 'x' }])).rejects.toMatchObject({ code: 40164 });
    const crossed = await suite().call('POST', `/keys/${app.keys[4]!.keyName}/revokeTokens`, {
      json: { targets: ['clientId:x'] },
      headers: { authorization: basic(app.keys[0]!.keyStr) },
    });
    expect({ status: crossed.status, code: crossed.body.error.code }).toEqual({ status: 401, code: 40133 });
  });
});

describe('GET /stats', () => {
  test('RSC6a: the SDK reads what the server counted, per minute and per hour', async () => {
    const app = await provisionApp();
    const client = rest({ key: app.keys[0]!.keyStr });
    await client.channels.get('counted').publish([{ name: 'a', data: 'xyz' }, { name: 'b', data: 'xy' }]);
    await client.auth.requestToken();
    const [minute] = (await client.stats({ unit: 'minute' })).items;
    expect(minute?.entries?.['messages.all.all.count']).toBe(2);
    expect(minute?.entries?.['messages.all.all.data']).toBe(7);
    expect(minute?.entries?.['apiRequests.tokenRequests.succeeded']).toBe(1);
    expect(minute?.entries?.['apiRequests.all.succeeded']).toBeGreaterThanOrEqual(1);
    const [hour] = (await client.stats({ unit: 'hour' })).items;
    expect(hour?.intervalId).toMatch(/^\d{4}-\d{2}-\d{2}:\d{2}$/);
    expect(hour?.entries?.['messages.all.all.count']).toBe(2);
  });

  test("stats are the app's own: another app counts nothing", async () => {
    const [first, second] = [await provisionApp(), await provisionApp()];
    await rest({ key: first.keys[0]!.keyStr }).channels.get('c').publish('x', 'y');
    const items = (await rest({ key: second.keys[0]!.keyStr }).stats()).items;
    expect(items.every((item) => item.entries?.['messages.all.all.count'] === undefined)).toBe(true);
  });
});
