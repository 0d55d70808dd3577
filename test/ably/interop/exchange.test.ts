/**
 * Interop with the official `ably` SDK over real HTTP against the local server: our TokenRequest
 * exchanged by the SDK's authCallback, and the SDK's TokenRequest exchanged by us.
 */
import * as Ably from 'ably';
import { AblyAuth } from '../../../src/ably';
import { createAblyClient } from '../../../src/client';
import { AblyAuth as NodeAblyAuth } from '../../../src/ably/node';
import { DEMO_CREDENTIALS, startLocalAbly } from '../helpers/server';

const KEY = DEMO_CREDENTIALS.ablyKey;
let local: Awaited<ReturnType<typeof startLocalAbly>>;

beforeAll(async () => {
  local = await startLocalAbly();
});
afterAll(() => local.server.close());

function sdkClient(options: Ably.ClientOptions): Ably.Rest {
  return new Ably.Rest({ restHost: '127.0.0.1', port: local.server.port, tls: false, logLevel: 0, ...options });
}

describe.each([
  ['web signer', AblyAuth],
  ['node signer', NodeAblyAuth],
])('interop with the official SDK (%s)', (_name, Auth) => {
  it('the SDK exchanges our TokenRequest from its authCallback, then publishes and reads history', async () => {
    const ours = new Auth({ key: KEY, baseUrl: local.url });
    const sdk = sdkClient({
      authCallback: (params, callback) => {
        ours.createTokenRequest({ ...(params as object), clientId: 'sdk-user', capability: { 'interop:*': ['publish', 'history'] } }).then(
          (request) => callback(null, request as Ably.TokenRequest),
          (error: Error) => callback(error.message, null),
        );
      },
    });
    const details = await sdk.auth.authorize();
    expect(details.clientId).toBe('sdk-user');
    expect(details.capability).toBe('{"interop:*":["history","publish"]}');
    const channel = sdk.channels.get('interop:ours');
    await channel.publish('greeting', 'from-sdk');
    const page = await channel.history();
    expect(page.items.map((m) => m.data)).toContain('from-sdk');
  });

  it('we exchange the SDK-made TokenRequest from our authCallback, then publish and read history', async () => {
    const sdk = sdkClient({ key: KEY });
    const ably = createAblyClient({
      baseUrl: local.url,
      authCallback: (params) => sdk.auth.createTokenRequest({ ...params, clientId: 'our-user' } as Ably.TokenParams),
    });
    if (Auth === NodeAblyAuth) expect(ably.auth).toBeInstanceOf(AblyAuth);
    const published = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'interop:theirs' } }, body: { name: 'greeting', data: 'from-us' } });
    expect(published.response.status).toBe(201);
    expect(ably.auth.clientId).toBe('our-user');
    const page = await sdk.channels.get('interop:theirs').history();
    expect(page.items.map((m) => m.data)).toContain('from-us');
  });

  it('the SDK accepts our Ably JWT as a token', async () => {
    const jwt = await new Auth({ key: KEY, baseUrl: local.url }).createJwt({ clientId: 'jwt-user', capability: { '*': ['*'] } });
    const sdk = sdkClient({ token: jwt });
    const channel = sdk.channels.get(`interop:jwt:${_name}`);
    await channel.publish('greeting', 'jwt');
    expect((await channel.history()).items.map((m) => [m.clientId, m.data])).toEqual([['jwt-user', 'jwt']]);
  });
});

it('a token we obtained works in the SDK and one the SDK obtained works in ours', async () => {
  const ours = new AblyAuth({ key: KEY, baseUrl: local.url });
  const sdkWithOurs = sdkClient({ tokenDetails: (await ours.requestToken()) as Ably.TokenDetails });
  await sdkWithOurs.channels.get('interop:cross').publish('a', '1');
  const theirs = await sdkClient({ key: KEY }).auth.requestToken();
  const ably = createAblyClient({ baseUrl: local.url, tokenDetails: theirs });
  const { data } = await ably.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'interop:cross' } } });
  expect(JSON.stringify(data)).toContain('"1"');
});
