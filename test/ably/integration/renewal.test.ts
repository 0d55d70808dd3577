/**
 * Renewal over real HTTP, driven by the local server's test controls: expired and revoked tokens
 * renew and retry once; clock skew heals itself.
 */
import { createAblyClient, type AblyClient } from '../../../src/client';
import { DEMO_CREDENTIALS, startLocalAbly } from '../helpers/server';

const KEY = DEMO_CREDENTIALS.ablyKey;
let local: Awaited<ReturnType<typeof startLocalAbly>>;

beforeAll(async () => {
  local = await startLocalAbly();
});
afterAll(() => local.server.close());
beforeEach(() => local.admin.reset());

const history = (ably: AblyClient) => ably.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'renewal' } } });
const log = async () => (await local.admin.requests()).map((e) => `${e.method} ${e.path} ${e.status}`);

describe('token renewal against the local server', () => {
  it('RSA4b an expired token (40142) is renewed and the request retried once', async () => {
    const ably = createAblyClient({ baseUrl: local.url, key: KEY, useTokenAuth: true });
    const first = await ably.auth.authorize();
    expect(await local.admin.expireToken(first.token)).toBe(1);
    await local.admin.clearRequests();
    const { response } = await history(ably);
    expect(response.status).toBe(200);
    expect(ably.auth.tokenDetails!.token).not.toBe(first.token);
    expect(await log()).toEqual([
      'GET /channels/renewal/messages 401',
      'POST /keys/demoApp.demoKey/requestToken 200',
      'GET /channels/renewal/messages 200',
    ]);
  });

  it('RSA4b a revoked token (40141) is renewed too; a POST body arrives intact on the retry', async () => {
    const ably = createAblyClient({ baseUrl: local.url, key: KEY, useTokenAuth: true });
    await ably.auth.authorize();
    await local.admin.revokeToken();
    const { response } = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'renewal' } }, body: { name: 'kept', data: 'body-survives' } });
    expect(response.status).toBe(201);
    expect(JSON.stringify((await history(ably)).data)).toContain('body-survives');
  });

  it('the server clock jumping past expiry: renewal through the authCallback', async () => {
    let calls = 0;
    const issuer = createAblyClient({ baseUrl: local.url, key: KEY }).auth;
    const ably = createAblyClient({ baseUrl: local.url, authCallback: () => (calls++, issuer.createTokenRequest({ ttl: 60_000 })) });
    await history(ably);
    await local.admin.advanceClock(2 * 60_000);
    const { response } = await history(ably);
    expect(response.status).toBe(200);
    expect(calls).toBe(2);
  });

  it('a token literal that expires with no way to renew fails with 40171', async () => {
    const token = (await createAblyClient({ baseUrl: local.url, key: KEY }).auth.requestToken()).token;
    const ably = createAblyClient({ baseUrl: local.url, token });
    await local.admin.expireToken(token);
    const error = await history(ably).then(
      () => undefined,
      (e: { code?: number }) => e,
    );
    expect(error?.code).toBe(40171);
  });

  it('beyond the SDK: a skewed host clock (40104) heals via /time and the offset is kept', async () => {
    await local.admin.setClockOffset(-3 * 60 * 60_000);
    const ably = createAblyClient({ baseUrl: local.url, key: KEY, useTokenAuth: true });
    const { response } = await history(ably);
    expect(response.status).toBe(200);
    expect(await log()).toEqual([
      'POST /keys/demoApp.demoKey/requestToken 401',
      'GET /time 200',
      'POST /keys/demoApp.demoKey/requestToken 200',
      'GET /channels/renewal/messages 200',
    ]);
    await local.admin.clearRequests();
    await ably.auth.authorize();
    expect(await log()).toEqual(['POST /keys/demoApp.demoKey/requestToken 200']);
  });

  it('concurrent requests on an expired token cause one token request', async () => {
    const ably = createAblyClient({ baseUrl: local.url, key: KEY, useTokenAuth: true });
    await ably.auth.authorize();
    await local.admin.expireToken();
    await local.admin.clearRequests();
    const results = await Promise.all(Array.from({ length: 25 }, () => history(ably)));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect((await log()).filter((line) => line.includes('requestToken'))).toHaveLength(1);
  });
});
