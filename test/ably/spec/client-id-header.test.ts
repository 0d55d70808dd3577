/**
 * RSA7e2 — a client with a `clientId` in its options names itself in `X-Ably-ClientId`
 * (base64 of the UTF-8 id) on requests it signs with Basic auth; token requests carry no header.
 */
import { BASE_URL, history, KEY, setup } from '../helpers/client';
import { createAblyClient } from '../../../src/client';
import { isRequestToken, json, tokenDetails } from '../helpers/mock-fetch';
import { DEMO_CREDENTIALS, startLocalAbly } from '../helpers/server';

const header = (clientId: string) => Buffer.from(clientId, 'utf8').toString('base64');

describe('RSA7e2 X-Ably-ClientId', () => {
  it.each([
    ['an ASCII id', 'client_id'],
    ['a non-ASCII id (UTF-8 before base64)', 'ünïcødé-☃'],
  ])('RSA7e2 basic-auth-with-client-id: Basic auth sends the header for %s', async (_name, clientId) => {
    const { ably, requests } = setup({ key: KEY, clientId }, () => json(200, []));
    await history(ably);
    expect(requests[0]!.headers.get('x-ably-clientid')).toBe(header(clientId));
  });

  it('RSA7e2 basic-auth-without-client-id: no clientId, no header', async () => {
    const { ably, requests } = setup({ key: KEY }, () => json(200, []));
    await history(ably);
    expect(requests[0]!.headers.has('x-ably-clientid')).toBe(false);
  });

  it('RSA7e2 token-auth-no-header: token auth carries its identity in the token, not the header', async () => {
    const { ably, requests } = setup({ key: KEY, clientId: 'alice', useTokenAuth: true }, (req) =>
      isRequestToken(req) ? json(200, tokenDetails('alice-token', { clientId: 'alice' })) : json(200, []),
    );
    await history(ably);
    const channelRequest = requests.find((req) => req.url.pathname.startsWith('/channels/'))!;
    expect(channelRequest.headers.get('authorization')).toMatch(/^Bearer /);
    expect(channelRequest.headers.has('x-ably-clientid')).toBe(false);
  });

  it('RSA7e2 every-basic-request: the header is on each request, publish included', async () => {
    const { ably, requests } = setup({ key: KEY, clientId: 'bob' }, () => json(201, {}));
    await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'c' } }, body: { name: 'n', data: 'd' } });
    await history(ably);
    expect(requests.map((req) => req.headers.get('x-ably-clientid'))).toEqual([header('bob'), header('bob')]);
    expect(requests[0]!.url.origin).toBe(BASE_URL);
  });
});

describe('RSA7e2 against the local server', () => {
  let local: Awaited<ReturnType<typeof startLocalAbly>>;
  beforeAll(async () => {
    local = await startLocalAbly();
  });
  afterAll(() => local.server.close());

  it('RSL1m1: a Basic-auth client with a clientId publishes without one; the server stamps it from the header', async () => {
    const ably = createAblyClient({ key: DEMO_CREDENTIALS.ablyKey, clientId: 'header-client', baseUrl: local.url });
    const published = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'rsa7e' } }, body: { name: 'n', data: 'd' } });
    expect(published.response.status).toBe(201);
    const { data } = await ably.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'rsa7e' } } });
    expect(data?.map((message) => message.clientId)).toEqual(['header-client']);
  });
});
