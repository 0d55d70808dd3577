/**
 * uts/rest/unit/auth/auth_scheme.md — RSA1–RSA4, RSA4a2, RSA11, RSC1b, RSC18 — plus tokensmith's
 * refusal of Basic auth over plain http (40103).
 */
import * as Ably from 'ably';
import { AblyAuth } from '../../../src/ably';
import { BASE_URL, history, KEY, rejection, setup, thrown } from '../helpers/client';
import { ablyError, basic, bearer, isRequestToken, json, tokenDetails } from '../helpers/mock-fetch';

const hour = () => Date.now() + 3_600_000;

describe('auth scheme selection', () => {
  it('RSA4 basic-auth-key-only: a key alone means Basic auth', async () => {
    const { ably, auth, requests } = setup({ key: KEY }, () => json(200, []));
    await history(ably);
    expect(requests[0]!.headers.get('authorization')).toBe(basic(KEY));
    expect(auth.tokenDetails).toBeNull();
  });

  it('RSA3 token-auth-explicit-token: a token string is sent as Bearer', async () => {
    const { ably, requests } = setup({ token: 'explicit-token-string' }, () => json(200, []));
    await history(ably);
    expect(requests[0]!.headers.get('authorization')).toBe(bearer('explicit-token-string'));
  });

  it('RSA3 token-auth-token-details: a TokenDetails token is sent as Bearer', async () => {
    const { ably, requests } = setup({ tokenDetails: { token: 'token-from-details', expires: hour() } }, () => json(200, []));
    await history(ably);
    expect(requests[0]!.headers.get('authorization')).toBe(bearer('token-from-details'));
  });

  it('RSA4 use-token-auth-forced: useTokenAuth with a key obtains a token', async () => {
    const { ably, requests } = setup({ key: KEY, useTokenAuth: true }, (req) =>
      isRequestToken(req) ? json(200, tokenDetails('obtained-token')) : json(200, []),
    );
    await history(ably);
    expect(requests[1]!.headers.get('authorization')).toBe(bearer('obtained-token'));
  });

  it('RSA4 auth-callback-triggers-token / authurl-triggers-token', async () => {
    const viaCallback = setup({ authCallback: () => ({ token: 'callback-token', expires: hour() }) }, () => json(200, []));
    await history(viaCallback.ably);
    expect(viaCallback.requests[0]!.headers.get('authorization')).toBe(bearer('callback-token'));

    const viaUrl = setup({ authUrl: 'https://auth.example.test/token' }, (req) =>
      req.url.host === 'auth.example.test' ? json(200, { token: 'authurl-token', expires: hour() }) : json(200, []),
    );
    await history(viaUrl.ably);
    expect(viaUrl.requests[1]!.headers.get('authorization')).toBe(bearer('authurl-token'));
  });

  it('RSC1b no-auth-method-error: no means of auth is refused with 40106 before any request', () => {
    expect(thrown(() => new AblyAuth({ baseUrl: BASE_URL })).code).toBe(40106);
    expect(thrown(() => new AblyAuth({ useTokenAuth: true })).code).toBe(40106);
    expect(thrown(() => new AblyAuth({ authCallback: () => 't', useTokenAuth: false })).code).toBe(40106);
  });

  it('RSA4a2 expired-token-no-renewal: a rejected token with no means to renew fails with 40171 after one request', async () => {
    const { ably, requests } = setup({ tokenDetails: { token: 'expired-token', expires: Date.now() + 60_000 } }, () =>
      ablyError(401, 40142, 'Token expired'),
    );
    const error = await rejection(history(ably));
    expect(error.code).toBe(40171);
    expect(requests).toHaveLength(1);
  });

  it('RSA4a expired token literal with no means to renew fails with 40171 without sending it', async () => {
    const { ably, requests } = setup({ tokenDetails: { token: 'expired-token', expires: Date.now() - 1000 } }, () => json(200, []));
    expect((await rejection(history(ably))).code).toBe(40171);
    expect(requests).toHaveLength(0);
  });

  it('RSA1 token-auth-takes-precedence: authCallback wins over the key; authCallback wins over authUrl', async () => {
    const { ably, requests } = setup(
      { key: KEY, authUrl: 'https://auth.example.test/token', authCallback: () => ({ token: 'callback-token', expires: hour() }) },
      () => json(200, []),
    );
    await history(ably);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.get('authorization')).toBe(bearer('callback-token'));
  });

  it('RSA4 useTokenAuth false forces Basic even with an authCallback', async () => {
    const { ably, requests } = setup({ key: KEY, useTokenAuth: false, authCallback: () => 'never' }, () => json(200, []));
    await history(ably);
    expect(requests[0]!.headers.get('authorization')).toBe(basic(KEY));
  });

  it('RSA2 RSA11 basic-auth-header-format: Basic base64(keyName:keySecret), standard alphabet', async () => {
    const key = 'app123.key456:secret?>?>~~~';
    const { ably, requests } = setup({ key }, () => json(200, []));
    await history(ably);
    const header = requests[0]!.headers.get('authorization')!;
    expect(header).toBe(`Basic ${Buffer.from(key).toString('base64')}`);
    expect(header).toMatch(/[+/]/);
  });

  it('RSC18 token-auth-over-non-tls: token auth works over plain http', async () => {
    const { ably, requests } = setup({ token: 'explicit-token', baseUrl: 'http://rest.ably.test' }, () => json(200, []));
    await history(ably);
    expect(requests[0]!.url.protocol).toBe('http:');
    expect(requests[0]!.headers.get('authorization')).toBe(bearer('explicit-token'));
  });

  it.each(['http://rest.ably.test', 'http://10.0.0.5:8080', 'http://[fe80::1]'])(
    'Basic auth over plain http to a non-loopback host (%s) is refused with 40103, nothing sent',
    async (baseUrl) => {
      const { ably, requests } = setup({ key: KEY, baseUrl }, () => json(200, []));
      const error = await rejection(history(ably));
      expect(error.code).toBe(40103);
      expect(error.message).not.toContain('keySecret');
      expect(requests).toHaveLength(0);
    },
  );

  it.each(['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080', 'http://api.localhost'])(
    'Basic auth over plain http to loopback (%s) is allowed',
    async (baseUrl) => {
      const { ably, requests } = setup({ key: KEY, baseUrl }, () => json(200, []));
      await history(ably);
      expect(requests[0]!.headers.get('authorization')).toBe(basic(KEY));
    },
  );

  it('sends no Authorization header on GET /time (security: [])', async () => {
    const { ably, requests } = setup({ key: KEY }, () => json(200, [1]));
    await ably.GET('/time');
    expect(requests[0]!.headers.get('authorization')).toBeNull();
  });

  it('sends X-Ably-Version, the one the official SDK sends, on API requests and on token requests', async () => {
    const sdkVersion = String((Ably.Rest as unknown as { Platform: { Defaults: { protocolVersion: number } } }).Platform.Defaults.protocolVersion);
    const { ably, requests } = setup({ key: KEY, useTokenAuth: true }, (req) =>
      isRequestToken(req) ? json(200, tokenDetails('t')) : json(200, []),
    );
    await history(ably);
    expect(requests.map((r) => r.headers.get('x-ably-version'))).toEqual([sdkVersion, sdkVersion]);
  });
});
