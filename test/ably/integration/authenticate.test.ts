/**
 * Every way to authenticate, over real HTTP against the local auth server; authUrl served by a
 * small local node:http handler.
 */
import { AblyAuth } from '../../../src/ably';
import { createAblyClient, type AblyClient, type AblyClientOptions } from '../../../src/client';
import { AblyAuth as NodeAblyAuth } from '../../../src/ably/node';
import { createAblyClient as createNodeAblyClient } from '../../../src/client/index-node';
import { DEMO_CREDENTIALS, startAuthUrlServer, startLocalAbly } from '../helpers/server';

const KEY = DEMO_CREDENTIALS.ablyKey;
let local: Awaited<ReturnType<typeof startLocalAbly>>;

beforeAll(async () => {
  local = await startLocalAbly();
});
afterAll(() => local.server.close());
beforeEach(() => local.admin.reset());

async function publishAndRead(ably: AblyClient, channelId: string): Promise<void> {
  const published = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId } }, body: { name: 'greeting', data: channelId } });
  expect(published.response.status).toBe(201);
  const { data, response } = await ably.GET('/channels/{channelId}/messages', { params: { path: { channelId } } });
  expect(response.status).toBe(200);
  expect(JSON.stringify(data)).toContain(channelId);
}

function client(options: Omit<AblyClientOptions, 'baseUrl'>): AblyClient {
  return createAblyClient({ baseUrl: local.url, ...options });
}

function authorizationSchemes(): Promise<string[]> {
  return local.admin.requests().then((log) => log.map((entry) => `${entry.method} ${entry.path} ${entry.status}`));
}

describe('every way to authenticate against the local server', () => {
  it('Basic auth with the key (loopback http is allowed)', async () => {
    const ably = client({ key: KEY });
    await publishAndRead(ably, 'basic');
    expect(ably.auth.tokenDetails).toBeNull();
    expect(await authorizationSchemes()).not.toContainEqual(expect.stringContaining('requestToken'));
  });

  it('key with useTokenAuth: a locally signed TokenRequest exchanged without auth', async () => {
    const ably = client({ key: KEY, useTokenAuth: true, clientId: 'alice' });
    await publishAndRead(ably, 'signed');
    expect(ably.auth.tokenDetails).toMatchObject({ keyName: 'demoApp.demoKey', clientId: 'alice' });
    expect(await authorizationSchemes()).toContain('POST /keys/demoApp.demoKey/requestToken 200');
  });

  it('a token string and a TokenDetails given as is', async () => {
    const issuer = new AblyAuth({ key: KEY, baseUrl: local.url });
    const details = await issuer.requestToken();
    await publishAndRead(client({ token: details.token }), 'token-string');
    await publishAndRead(client({ tokenDetails: details }), 'token-details');
  });

  it.each([
    ['a token string', (issuer: AblyAuth) => issuer.requestToken().then((d) => d.token)],
    ['a TokenDetails', (issuer: AblyAuth) => issuer.requestToken()],
    ['a TokenRequest', (issuer: AblyAuth) => issuer.createTokenRequest()],
    ['an Ably JWT', (issuer: AblyAuth) => issuer.createJwt({ capability: { '*': ['*'] } })],
  ])('authCallback answering %s', async (_name, answer) => {
    const issuer = new AblyAuth({ key: KEY, baseUrl: local.url });
    const ably = client({ authCallback: () => answer(issuer) });
    await publishAndRead(ably, 'callback');
  });

  it.each([
    ['GET, TokenRequest as JSON', 'GET', 'request'],
    ['POST, TokenRequest as JSON', 'POST', 'request'],
    ['GET, token as text/plain', 'GET', 'text'],
    ['GET, JWT as application/jwt', 'GET', 'jwt'],
  ] as const)('authUrl (%s) served by a local handler', async (_name, authMethod, kind) => {
    const issuer = new AblyAuth({ key: KEY, baseUrl: local.url });
    const authServer = await startAuthUrlServer(async (hit) => {
      const params = hit.method === 'POST' ? new URLSearchParams(hit.body) : hit.url.searchParams;
      const clientId = params.get('clientId') ?? undefined;
      if (kind === 'request') return { contentType: 'application/json', body: JSON.stringify(await issuer.createTokenRequest({ ...(clientId ? { clientId } : {}) })) };
      if (kind === 'text') return { contentType: 'text/plain', body: (await issuer.requestToken()).token };
      return { contentType: 'application/jwt', body: await issuer.createJwt({ ...(clientId ? { clientId } : {}) }) };
    });
    try {
      const ably = client({ authUrl: `${authServer.url}/auth?tenant=acme`, authMethod, authHeaders: { 'x-session': 's1' }, clientId: 'bob' });
      await publishAndRead(ably, 'authurl');
      expect(authServer.hits[0]!.headers['x-session']).toBe('s1');
      expect(authServer.hits[0]!.url.searchParams.get('tenant')).toBe('acme');
      if (kind !== 'text') expect(ably.auth.clientId).toBe('bob');
    } finally {
      await authServer.close();
    }
  });

  it('queryTime signs with server time when the host clock is far off', async () => {
    await local.admin.setClockOffset(45 * 60_000);
    const ably = client({ key: KEY, useTokenAuth: true, queryTime: true });
    await publishAndRead(ably, 'query-time');
    expect((await authorizationSchemes()).filter((line) => line.includes('requestToken'))).toEqual(['POST /keys/demoApp.demoKey/requestToken 200']);
  });

  it('the node-bound client and AblyAuth work the same way', async () => {
    const ably = createNodeAblyClient({ baseUrl: local.url, key: KEY, useTokenAuth: true });
    expect(ably.auth).toBeInstanceOf(NodeAblyAuth);
    await publishAndRead(ably, 'node-signer');
  });

  it('a capability-limited key: a forbidden channel answers 40160, returned as is (no renewal)', async () => {
    const ably = client({ key: DEMO_CREDENTIALS.ablyLimitedKey, useTokenAuth: true });
    const { error, response } = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'forbidden' } }, body: { name: 'x', data: 'y' } });
    expect(response.status).toBe(401);
    expect((error as unknown as { error: { code: number } }).error.code).toBe(40160);
    await publishAndRead(ably, 'allowed:yes');
    expect((await authorizationSchemes()).filter((line) => line.includes('requestToken'))).toHaveLength(1);
  });

  it('a wrong secret fails the token request with 40101 and the error holds no secret', async () => {
    const ably = client({ key: 'demoApp.demoKey:wrongSecretValue', useTokenAuth: true });
    const error = await ably.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'x' } } }).then(
      () => undefined,
      (e: Error & { code?: number }) => e,
    );
    expect(error?.code).toBe(40101);
    expect(error?.message).not.toContain('wrongSecretValue');
  });
});
