/**
 * uts/rest/unit/auth/token_details.md — RSA16a–d.
 */
import { history, KEY, rejection, setup, setupAuth } from '../helpers/client';
import { ablyError, isRequestToken, json, tokenDetails } from '../helpers/mock-fetch';

const hour = () => Date.now() + 3_600_000;

describe('RSA16 auth.tokenDetails', () => {
  afterEach(() => jest.useRealTimers());

  it('RSA16a token-from-callback', async () => {
    const now = Date.now();
    const { ably, auth } = setup({ authCallback: () => ({ token: 'callback-token-abc', expires: hour(), issued: now, clientId: 'my-client' }) }, () => json(200, []));
    await history(ably);
    expect(auth.tokenDetails).toMatchObject({ token: 'callback-token-abc', clientId: 'my-client', issued: now });
    expect(auth.tokenDetails!.expires).toEqual(expect.any(Number));
  });

  it('RSA16a token-from-request-token', async () => {
    const { auth } = setup({ key: KEY }, (req) => (isRequestToken(req) ? json(200, tokenDetails('requested-token-xyz', { keyName: 'appId.keyId', clientId: 'token-client' })) : json(200, [])));
    await auth.authorize();
    expect(auth.tokenDetails).toMatchObject({ token: 'requested-token-xyz', clientId: 'token-client', keyName: 'appId.keyId' });
  });

  it('RSA16b token-string-in-options: only token is set', () => {
    expect(setupAuth({ token: 'standalone-token-string' }).auth.tokenDetails).toEqual({ token: 'standalone-token-string' });
  });

  it('RSA16b token-string-from-callback: only token is set', async () => {
    const { ably, auth } = setup({ authCallback: () => 'just-a-token-string' }, () => json(200, []));
    await history(ably);
    expect(auth.tokenDetails).toEqual({ token: 'just-a-token-string' });
  });

  it('RSA16c set-on-instantiation', () => {
    const initial = { token: 'initial-token', expires: hour(), issued: Date.now(), clientId: 'initial-client' };
    expect(setupAuth({ tokenDetails: initial }).auth.tokenDetails).toEqual(initial);
  });

  it('RSA16c updated-after-authorize', async () => {
    let n = 0;
    const { auth } = setup({ authCallback: () => (n++, { token: `token-v${n}`, expires: hour(), clientId: `client-v${n}` }) }, () => json(200, []));
    await auth.authorize();
    const first = auth.tokenDetails;
    await auth.authorize();
    expect(first).toMatchObject({ token: 'token-v1', clientId: 'client-v1' });
    expect(auth.tokenDetails).toMatchObject({ token: 'token-v2', clientId: 'client-v2' });
  });

  it('RSA16c updated-after-expiry-renewal (fake clock)', async () => {
    jest.useFakeTimers({ now: 1_700_000_000_000 });
    let n = 0;
    const { ably, auth } = setup({ authCallback: () => (n++, { token: `token-v${n}`, expires: Date.now() + 1000, clientId: `client-v${n}` }) }, () => json(200, []));
    await history(ably);
    expect(auth.tokenDetails!.token).toBe('token-v1');
    jest.setSystemTime(Date.now() + 2000);
    await history(ably);
    expect(auth.tokenDetails!.token).toBe('token-v2');
  });

  it('RSA16c updated-after-40142-renewal', async () => {
    let n = 0;
    let calls = 0;
    const { ably, auth } = setup({ authCallback: () => (n++, { token: `token-v${n}`, expires: hour() }) }, () => (++calls === 1 ? ablyError(401, 40142, 'Token expired') : json(200, [])));
    await auth.authorize();
    expect(auth.tokenDetails!.token).toBe('token-v1');
    await history(ably);
    expect(auth.tokenDetails!.token).toBe('token-v2');
  });

  it('RSA16d null-with-basic-auth', async () => {
    const { ably, auth } = setup({ key: KEY }, () => json(200, []));
    await history(ably);
    expect(auth.tokenDetails).toBeNull();
  });

  it('RSA16d null-before-token-obtained', () => {
    expect(setupAuth({ authCallback: () => 'my-token' }).auth.tokenDetails).toBeNull();
  });

  it('RSA16d null-after-invalidation: a rejected token whose renewal fails leaves no token', async () => {
    let n = 0;
    const { ably, auth } = setup(
      {
        authCallback: () => {
          if (++n === 1) return { token: 'first-token', expires: hour() };
          throw new Error('Cannot obtain new token');
        },
      },
      () => ablyError(401, 40142, 'Token expired'),
    );
    await auth.authorize();
    expect(auth.tokenDetails!.token).toBe('first-token');
    await rejection(history(ably));
    expect(auth.tokenDetails).toBeNull();
  });

  it('RSA16a preserved-across-requests: one token serves many requests', async () => {
    const callback = jest.fn(() => ({ token: 'stable-token', expires: hour(), clientId: 'stable-client' }));
    const { ably, auth } = setup({ authCallback: callback }, () => json(200, []));
    for (let i = 0; i < 3; i++) {
      await history(ably);
      expect(auth.tokenDetails!.token).toBe('stable-token');
    }
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('RSA16a reflects-capability', async () => {
    const capability = '{"channel1":["publish","subscribe"],"channel2":["subscribe"]}';
    const { ably, auth } = setup({ authCallback: () => ({ token: 'capable-token', expires: hour(), capability }) }, () => json(200, []));
    await history(ably);
    expect(auth.tokenDetails!.capability).toBe(capability);
  });
});
