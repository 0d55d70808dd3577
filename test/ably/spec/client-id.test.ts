/**
 * uts/rest/unit/auth/client_id.md — RSA7, RSA7a–c, RSA12, RSA12a–b, RSA15a–c.
 */
import { AblyAuth } from '../../../src/ably';
import { history, KEY, rejection, setup, setupAuth, thrown } from '../helpers/client';
import { isRequestToken, json, tokenDetails } from '../helpers/mock-fetch';

const hour = () => Date.now() + 3_600_000;

describe('clientId', () => {
  it('RSA7a clientid-from-options', () => {
    expect(setupAuth({ key: KEY, clientId: 'my-client-id' }).auth.clientId).toBe('my-client-id');
  });

  it('RSA7b clientid-from-token-details', () => {
    expect(setupAuth({ tokenDetails: { token: 't', expires: hour(), clientId: 'token-client-id' } }).auth.clientId).toBe('token-client-id');
  });

  it('RSA7b clientid-from-callback-token', async () => {
    const { ably, auth } = setup({ authCallback: () => ({ token: 't', expires: hour(), clientId: 'callback-client-id' }) }, () => json(200, []));
    expect(auth.clientId).toBeNull();
    await history(ably);
    expect(auth.clientId).toBe('callback-client-id');
  });

  it('RSA7c clientid-null-unidentified', () => {
    expect(setupAuth({ key: KEY }).auth.clientId).toBeNull();
    expect(setupAuth({ tokenDetails: { token: 't', expires: hour() } }).auth.clientId).toBeNull();
  });

  it('RSA7c "*" and "" are not a library clientId (40012)', () => {
    expect(thrown(() => new AblyAuth({ key: KEY, clientId: '*' })).code).toBe(40012);
    expect(thrown(() => new AblyAuth({ key: KEY, clientId: '' })).code).toBe(40012);
    expect(thrown(() => new AblyAuth({ key: KEY, clientId: 42 as unknown as string })).code).toBe(40012);
  });

  it('RSA12a clientid-passed-to-callback', async () => {
    const seen: Record<string, unknown>[] = [];
    const { ably } = setup({ authCallback: (p) => (seen.push(p), { token: 't', expires: hour() }), clientId: 'library-client-id' }, () => json(200, []));
    await history(ably);
    expect(seen[0]!.clientId).toBe('library-client-id');
  });

  it('RSA12a the library clientId is signed into TokenRequests', async () => {
    const { auth } = setupAuth({ key: KEY, clientId: 'signed-client' });
    expect((await auth.createTokenRequest()).clientId).toBe('signed-client');
  });

  it('RSA12b clientid-sent-to-authurl (GET query and POST body)', async () => {
    const get = setup({ authUrl: 'https://auth.example.test/token', clientId: 'url-client-id' }, (req) =>
      req.url.host === 'auth.example.test' ? json(200, { token: 'url-token', expires: hour() }) : json(200, []),
    );
    await history(get.ably);
    expect(get.requests[0]!.url.searchParams.get('clientId')).toBe('url-client-id');
    const post = setup({ authUrl: 'https://auth.example.test/token', authMethod: 'POST', clientId: 'url-client-id' }, () =>
      json(200, { token: 'url-token', expires: hour() }),
    );
    await post.auth.authorize();
    expect(new URLSearchParams(post.requests[0]!.body).get('clientId')).toBe('url-client-id');
  });

  it('RSA7 clientid-updated-after-authorize', async () => {
    let n = 0;
    const { ably, auth } = setup({ authCallback: () => (n++, { token: `token-${n}`, expires: hour(), clientId: `client-${n}` }) }, () => json(200, []));
    await history(ably);
    expect(auth.clientId).toBe('client-1');
    await auth.authorize();
    expect(auth.clientId).toBe('client-2');
  });

  it('RSA12 wildcard-clientid: a wildcard token makes auth.clientId "*"', () => {
    expect(setupAuth({ tokenDetails: { token: 'w', expires: hour(), clientId: '*' } }).auth.clientId).toBe('*');
  });

  it.each([
    ['client-a', 'client-a', 'client-a'],
    ['client-a', undefined, 'client-a'],
    ['client-a', '*', 'client-a'],
    [undefined, 'client-b', 'client-b'],
  ])('RSA7 clientid consistency: options %s with token %s is accepted (clientId %s)', (clientId, tokenClientId, expected) => {
    const { auth } = setupAuth({ ...(clientId ? { clientId } : {}), tokenDetails: { token: 't', expires: hour(), ...(tokenClientId ? { clientId: tokenClientId } : {}) } });
    expect(auth.clientId).toBe(expected);
  });

  it('RSA15a RSA15c token-clientid-must-match: a mismatching token literal is refused with 40102 at construction', () => {
    const error = thrown(() => new AblyAuth({ clientId: 'my-client', tokenDetails: { token: 't', expires: hour(), clientId: 'other-client' } }));
    expect(error.code).toBe(40102);
    expect(error.message).toContain('clientId');
  });

  it('RSA15c a mismatching token from the authCallback fails the request with 40102', async () => {
    const { ably, requests } = setup({ clientId: 'my-client', authCallback: () => ({ token: 't', expires: hour(), clientId: 'other' }) }, () => json(200, []));
    expect((await rejection(history(ably))).code).toBe(40102);
    expect(requests).toHaveLength(0);
  });

  it('RSA15c a mismatching token issued by Ably fails authorize with 40102', async () => {
    const { auth } = setup({ key: KEY, clientId: 'mine' }, (req) => (isRequestToken(req) ? json(200, tokenDetails('t', { clientId: 'theirs' })) : json(200, [])));
    expect((await rejection(auth.authorize())).code).toBe(40102);
  });

  it('RSA15b wildcard-token-permits-any', () => {
    expect(setupAuth({ clientId: 'any-client', tokenDetails: { token: 'w', expires: hour(), clientId: '*' } }).auth.clientId).toBe('any-client');
  });
});
