/**
 * uts/rest/unit/auth/token_renewal.md — RSA4a2, RSA4b, RSA4b1, RSC10, RSC10b — plus the retry
 * keeping a POST body, and tokensmith's clock-skew healing on 40104.
 */
import { BASE_URL, history, KEY, rejection, setup } from '../helpers/client';
import { ablyError, bearer, isRequestToken, json, msgpack, tokenDetails } from '../helpers/mock-fetch';

const hour = () => Date.now() + 3_600_000;

function counting() {
  let count = 0;
  const authCallback = () => ({ token: `token-${++count}`, expires: hour() });
  return { authCallback, count: () => count };
}

describe('token renewal', () => {
  it('RSA4b renewal-on-40142: renews once and retries with the new token', async () => {
    const tokens = ['first-token', 'second-token'];
    let calls = 0;
    const { ably, requests } = setup({ authCallback: () => ({ token: tokens[calls++]!, expires: hour() }) }, () =>
      requests.length === 1 ? ablyError(401, 40142, 'Token expired') : json(200, [{ channel: 'test' }]),
    );
    const result = await history(ably);
    expect(calls).toBe(2);
    expect(requests.map((r) => r.headers.get('authorization'))).toEqual([bearer('first-token'), bearer('second-token')]);
    expect(result.data).toEqual([{ channel: 'test' }]);
  });

  it.each([40140, 40141, 40143, 40144, 40149])('RSA4b renewal-on-%i: every code 40140–40149 renews', async (code) => {
    const cb = counting();
    const { ably, requests } = setup({ authCallback: cb.authCallback }, () => (requests.length === 1 ? ablyError(401, code) : json(200, [])));
    await history(ably);
    expect(cb.count()).toBe(2);
    expect(requests).toHaveLength(2);
  });

  it('RSA4b renewal-on-token-error: an expired token from the callback is tried (no server time known), rejected and renewed', async () => {
    let count = 0;
    const { ably, auth, requests } = setup(
      { authCallback: () => (++count === 1 ? { token: 'expired-token', expires: Date.now() - 1000 } : { token: 'fresh-token', expires: hour() }) },
      (req) => (req.headers.get('authorization') === bearer('expired-token') ? ablyError(401, 40142) : json(200, [])),
    );
    await auth.authorize();
    const { response } = await history(ably);
    expect(response.status).toBe(200);
    expect(count).toBe(2);
    expect(requests.map((r) => r.headers.get('authorization'))).toEqual([bearer('expired-token'), bearer('fresh-token')]);
  });

  it('RSA4b1 preemptive-renewal-with-offset: with server time known, an expired token is never sent', async () => {
    let count = 0;
    const { ably, requests } = setup(
      {
        queryTime: true,
        authCallback: () => (++count === 1 ? { token: 'expired-token', expires: Date.now() - 1000 } : { token: 'fresh-token', expires: hour() }),
      },
      (req) => (req.url.pathname === '/time' ? json(200, [Date.now()]) : req.headers.get('authorization') === bearer('expired-token') ? ablyError(401, 40142) : json(200, [])),
    );
    expect((await rejection(ably.auth.authorize())).code).toBe(40142);
    expect(requests.map((r) => r.url.pathname)).toEqual(['/time']);
    await history(ably);
    expect(count).toBe(2);
    const historyRequests = requests.filter((r) => r.url.pathname === '/channels/test/messages');
    expect(historyRequests.map((r) => r.headers.get('authorization'))).toEqual([bearer('fresh-token')]);
  });

  it('RSA4a2 no-renewal-without-callback: 40171 after a single request', async () => {
    const { ably, requests } = setup({ token: 'static-token' }, () => ablyError(401, 40142, 'Token expired'));
    expect((await rejection(history(ably))).code).toBe(40171);
    expect(requests).toHaveLength(1);
  });

  it('RSA4b renewal-via-authurl', async () => {
    let authCalls = 0;
    let apiCalls = 0;
    const { ably, requests } = setup({ authUrl: 'https://example.test/auth' }, (req) => {
      if (req.url.host === 'example.test') return json(200, { token: ++authCalls === 1 ? 'first-token' : 'second-token', expires: hour() });
      return ++apiCalls === 1 ? ablyError(401, 40142) : json(200, []);
    });
    await history(ably);
    const api = requests.filter((r) => r.url.host !== 'example.test');
    expect(requests.filter((r) => r.url.host === 'example.test')).toHaveLength(2);
    expect(api.map((r) => r.headers.get('authorization'))).toEqual([bearer('first-token'), bearer('second-token')]);
  });

  it('RSA4b renewal-limit-no-loop: one renewal, one retry, then the error is returned', async () => {
    const cb = counting();
    const { ably, requests } = setup({ authCallback: cb.authCallback }, () => ablyError(401, 40142, 'Token expired'));
    const { error, response } = await history(ably);
    expect(response.status).toBe(401);
    expect((error as unknown as { error: { code: number } }).error.code).toBe(40142);
    expect(cb.count()).toBe(2);
    expect(requests).toHaveLength(2);
  });

  it('RSC10 request-retried-after-renewal: the caller sees only the success', async () => {
    const cb = counting();
    const { ably, requests } = setup({ authCallback: cb.authCallback }, (req) =>
      req.headers.get('authorization') === bearer('token-1') ? ablyError(401, 40142) : json(200, [{ id: 'm1' }]),
    );
    const { data, response } = await history(ably);
    expect(response.status).toBe(200);
    expect(data).toEqual([{ id: 'm1' }]);
    expect(requests.map((r) => r.headers.get('authorization'))).toEqual([bearer('token-1'), bearer('token-2')]);
  });

  it('RSC10b non-token-401-no-renewal: other 401s are returned, no renewal, no retry', async () => {
    const cb = counting();
    const { ably, requests } = setup({ authCallback: cb.authCallback }, () => ablyError(401, 40100, 'Unauthorized'));
    const { error, response } = await history(ably);
    expect(response.status).toBe(401);
    expect((error as unknown as { error: { code: number } }).error.code).toBe(40100);
    expect(requests).toHaveLength(1);
    expect(cb.count()).toBe(1);
  });

  it('RSC10b a 403 with a token code does not renew (only 401s do)', async () => {
    const cb = counting();
    const { ably, requests } = setup({ authCallback: cb.authCallback }, () => ablyError(403, 40142));
    await history(ably);
    expect(requests).toHaveLength(1);
  });

  it('RSA4b renewal-msgpack-response: a msgpack token error renews too', async () => {
    const cb = counting();
    const { ably, requests } = setup({ authCallback: cb.authCallback }, () =>
      requests.length === 1 ? msgpack(401, { error: { code: 40142, statusCode: 401, message: 'Token expired' } }) : json(200, [1_234_567_890_000]),
    );
    await history(ably);
    expect(cb.count()).toBe(2);
    expect(requests).toHaveLength(2);
  });

  it('RSC10 the retried POST carries the original body', async () => {
    const cb = counting();
    const { ably, requests } = setup({ authCallback: cb.authCallback }, () => (requests.length === 1 ? ablyError(401, 40142) : json(201, {})));
    await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'c' } }, body: { name: 'greeting', data: 'hello' } });
    expect(requests).toHaveLength(2);
    expect(JSON.parse(requests[1]!.body)).toEqual({ name: 'greeting', data: 'hello' });
    expect(requests[1]!.body).toBe(requests[0]!.body);
  });

  it('Basic-auth 401s are returned as they are, never renewed', async () => {
    const { ably, requests } = setup({ key: KEY }, () => ablyError(401, 40140));
    const { response } = await history(ably);
    expect(response.status).toBe(401);
    expect(requests).toHaveLength(1);
  });

  it('one renewal for many concurrent rejected requests', async () => {
    const cb = counting();
    const { ably } = setup({ authCallback: cb.authCallback }, (req) => (req.headers.get('authorization') === bearer('token-1') ? ablyError(401, 40142) : json(200, [])));
    await history(ably);
    await ably.auth.authorize();
    const before = cb.count();
    const results = await Promise.all(Array.from({ length: 20 }, () => history(ably)));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(cb.count()).toBe(before);
  });
});

describe('beyond the SDK: a 40104 from requestToken heals clock skew', () => {
  it('fetches /time, keeps the offset, re-signs and retries once', async () => {
    const serverTime = Date.now() + 30 * 60_000;
    const bodies: { timestamp: number; nonce: string }[] = [];
    const { auth, requests } = setup({ key: KEY }, (req) => {
      if (req.url.pathname === '/time') return json(200, [serverTime]);
      const body = JSON.parse(req.body);
      bodies.push(body);
      return Math.abs(body.timestamp - serverTime) > 60_000 ? ablyError(401, 40104, 'Timestamp not current') : json(200, tokenDetails(`t${bodies.length}`));
    });
    expect((await auth.authorize()).token).toBe('t2');
    expect(requests.map((r) => r.url.pathname)).toEqual(['/keys/appId.keyId/requestToken', '/time', '/keys/appId.keyId/requestToken']);
    expect(bodies[1]!.nonce).not.toBe(bodies[0]!.nonce);
    // The offset is kept: the next request is signed with server time at once.
    const next = await auth.createTokenRequest();
    expect(Math.abs(next.timestamp - serverTime)).toBeLessThan(5_000);
  });

  it('retries only once: a second 40104 is returned', async () => {
    const { auth, requests } = setup({ key: KEY }, (req) => (req.url.pathname === '/time' ? json(200, [Date.now()]) : ablyError(401, 40104)));
    expect((await rejection(auth.authorize())).code).toBe(40104);
    expect(requests.filter(isRequestToken)).toHaveLength(2);
  });

  it('does not retry when the caller fixed the timestamp', async () => {
    const { auth, requests } = setup({ key: KEY }, () => ablyError(401, 40104));
    expect((await rejection(auth.requestToken({ timestamp: 1 }))).code).toBe(40104);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url.href).toBe(`${BASE_URL}/keys/appId.keyId/requestToken`);
  });
});
