/**
 * uts/rest/unit/auth/authorize.md — RSA10 a, b, e, g, h, i, j, k, l — plus: given arguments
 * replace (never merge with) the saved ones, and a timestamp is never saved.
 */
import { history, KEY, rejection, setup } from '../helpers/client';
import { bearer, isRequestToken, json, tokenDetails } from '../helpers/mock-fetch';

const hour = () => Date.now() + 3_600_000;

function countingCallback(prefix = 'token-') {
  const calls: Record<string, unknown>[] = [];
  const authCallback = (params: Record<string, unknown>) => {
    calls.push(params);
    return { token: `${prefix}${calls.length}`, expires: hour() };
  };
  return { calls, authCallback };
}

describe('RSA10 authorize', () => {
  it('RSA10a authorize-default-params: obtains a token with the defaults, then uses it', async () => {
    const { ably, auth, requests } = setup({ key: KEY }, (req) =>
      isRequestToken(req) ? json(200, tokenDetails('obtained-token', { keyName: 'appId.keyId' })) : json(200, []),
    );
    const details = await auth.authorize();
    expect(details.token).toBe('obtained-token');
    await history(ably);
    expect(requests.at(-1)!.headers.get('authorization')).toBe(bearer('obtained-token'));
  });

  it('RSA10b authorize-explicit-params: given tokenParams override the defaults', async () => {
    const { calls, authCallback } = countingCallback();
    const { auth } = setup({ authCallback, clientId: 'default-client', defaultTokenParams: { ttl: 1000 } }, () => json(200, []));
    await auth.authorize({ clientId: 'override-client', ttl: 7_200_000 });
    expect(calls[0]).toEqual({ clientId: 'override-client', ttl: 7_200_000 });
  });

  it('RSA10e authorize-saves-params: params given to authorize are reused later', async () => {
    const { calls, authCallback } = countingCallback();
    const { auth } = setup({ authCallback }, () => json(200, []));
    await auth.authorize({ clientId: 'saved-client', ttl: 3_600_000 });
    await auth.authorize();
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({ clientId: 'saved-client', ttl: 3_600_000 });
  });

  it('RSA10e a timestamp and a nonce given to authorize are used once and never saved', async () => {
    const bodies: Record<string, unknown>[] = [];
    const { auth } = setup({ key: KEY }, (req) => {
      bodies.push(JSON.parse(req.body));
      return json(200, tokenDetails(`t${bodies.length}`));
    });
    await auth.authorize({ timestamp: 1_000_000, nonce: 'fixed-nonce-0123456789', ttl: 5000 });
    await auth.authorize();
    expect(bodies[0]).toMatchObject({ timestamp: 1_000_000, nonce: 'fixed-nonce-0123456789', ttl: 5000 });
    expect(bodies[1]!.timestamp).not.toBe(1_000_000);
    expect(bodies[1]!.nonce).not.toBe('fixed-nonce-0123456789');
    expect(bodies[1]!.ttl).toBe(5000);
  });

  it('RSA10g authorize-updates-token-details: auth.tokenDetails is the new token', async () => {
    const { auth } = setup({ key: KEY }, () => json(200, tokenDetails('new-token', { keyName: 'appId.keyId', clientId: 'token-client' })));
    expect(auth.tokenDetails).toBeNull();
    const result = await auth.authorize();
    expect(auth.tokenDetails).toEqual(result);
    expect(auth.tokenDetails!.token).toBe('new-token');
    expect(auth.tokenDetails!.clientId).toBe('token-client');
  });

  it('RSA10h authorize-replaces-auth-options: a new authCallback replaces the old one', async () => {
    const original = jest.fn(() => ({ token: 'original', expires: hour() }));
    const replacement = jest.fn(() => ({ token: 'new', expires: hour() }));
    const { ably, auth, requests } = setup({ authCallback: original }, () => json(200, []));
    await auth.authorize(undefined, { authCallback: replacement });
    await history(ably);
    expect(original).not.toHaveBeenCalled();
    expect(replacement).toHaveBeenCalledTimes(1);
    expect(requests[0]!.headers.get('authorization')).toBe(bearer('new'));
  });

  it('RSA10h given authOptions replace the saved ones entirely: old authParams and authHeaders are not merged in', async () => {
    const { auth, requests } = setup(
      { authUrl: 'https://auth.example.test/a', authParams: { old: '1' }, authHeaders: { 'x-old': '1' } },
      () => json(200, { token: 't', expires: hour() }),
    );
    await auth.authorize(undefined, { authUrl: 'https://auth.example.test/b', authParams: { fresh: '1' } });
    expect(requests[0]!.url.pathname).toBe('/b');
    expect(requests[0]!.url.searchParams.get('old')).toBeNull();
    expect(requests[0]!.url.searchParams.get('fresh')).toBe('1');
    expect(requests[0]!.headers.get('x-old')).toBeNull();
  });

  it('RSA10i authorize-preserves-key: the constructor key still signs after authOptions without a key', async () => {
    const { auth, requests } = setup({ key: KEY }, (req) =>
      isRequestToken(req) ? json(200, tokenDetails('token-via-key')) : json(200, { token: 'from-url', expires: hour() }),
    );
    await auth.authorize(undefined, { queryTime: false });
    expect(requests[0]!.url.pathname).toBe('/keys/appId.keyId/requestToken');
    const request = await auth.createTokenRequest(undefined, { authUrl: 'https://auth.example.test/token' });
    expect(request.keyName).toBe('appId.keyId');
  });

  it('RSA10i authorize with a different key is refused with 40102; the same key is accepted', async () => {
    const { auth } = setup({ key: KEY }, () => json(200, tokenDetails('t')));
    expect((await rejection(auth.authorize(undefined, { key: 'appId.other:secret' }))).code).toBe(40102);
    expect((await auth.authorize(undefined, { key: KEY })).token).toBe('t');
  });

  it('RSA10j authorize-replaces-existing-token: every call obtains a new token', async () => {
    const { authCallback } = countingCallback();
    const { auth } = setup({ authCallback }, () => json(200, []));
    expect((await auth.authorize()).token).toBe('token-1');
    expect((await auth.authorize()).token).toBe('token-2');
    expect(auth.tokenDetails!.token).toBe('token-2');
  });

  it('RSA10a authorize switches a Basic client to token auth', async () => {
    const { ably, requests } = setup({ key: KEY }, (req) => (isRequestToken(req) ? json(200, tokenDetails('tok')) : json(200, [])));
    await history(ably);
    await ably.auth.authorize();
    await history(ably);
    expect(requests.map((r) => r.headers.get('authorization')?.split(' ')[0] ?? null)).toEqual(['Basic', null, 'Bearer']);
  });

  it('RSA10k authorize-query-time: queryTime asks /time before signing and signs with server time', async () => {
    const serverTime = 1_234_567_890_000;
    const { auth, requests } = setup({ key: KEY }, (req) =>
      req.url.pathname === '/time' ? json(200, [serverTime]) : json(200, tokenDetails('time-synced-token', {}, serverTime)),
    );
    await auth.authorize(undefined, { queryTime: true });
    expect(requests[0]!.url.pathname).toBe('/time');
    expect(Math.abs(JSON.parse(requests[1]!.body).timestamp - serverTime)).toBeLessThan(5_000);
  });

  it('RSA10l authorize-error-propagated: Ably refusing the request fails authorize with its code', async () => {
    const { auth } = setup({ key: 'invalid.key:secret' }, () => json(401, { error: { code: 40100, statusCode: 401, message: 'Unauthorized' } }));
    const error = await rejection(auth.authorize());
    expect(error.code).toBe(40100);
    expect(error.statusCode).toBe(401);
  });

  it('authorize with a token literal in authOptions makes that token current without a request', async () => {
    const { auth, requests } = setup({ key: KEY }, () => json(500, {}));
    expect((await auth.authorize(undefined, { token: 'given' })).token).toBe('given');
    expect(requests).toHaveLength(0);
  });
});
