/**
 * AblyAuth on the core lifecycle: shared store, onAuthError, background refresh ahead of expiry,
 * one fetch for many callers.
 */
import { MemoryTokenStore } from '../../src/core/store';
import { AblyAuth } from '../../src/ably';
import { createAblyClient } from '../../src/client';
import { history, KEY, rejection, setup, setupAuth, thrown } from './helpers/client';
import { ablyError, isRequestToken, json, mockFetch, tokenDetails } from './helpers/mock-fetch';

describe('AblyAuth lifecycle', () => {
  afterEach(() => jest.useRealTimers());

  it('1,000 concurrent requests on a cold client cause one token request', async () => {
    const { ably, requests } = setup({ key: KEY, useTokenAuth: true }, (req) => (isRequestToken(req) ? json(200, tokenDetails('cold')) : json(200, [])));
    await Promise.all(Array.from({ length: 1000 }, () => history(ably)));
    expect(requests.filter(isRequestToken)).toHaveLength(1);
  });

  it('two clients sharing a store make one token request between them', async () => {
    const store = new MemoryTokenStore();
    const mock = mockFetch((req) => (isRequestToken(req) ? json(200, tokenDetails('shared')) : json(200, [])));
    const options = { key: KEY, useTokenAuth: true, store, fetch: mock.fetch, baseUrl: 'https://rest.ably.test' };
    await history(createAblyClient(options));
    await history(createAblyClient(options));
    expect(mock.requests.filter(isRequestToken)).toHaveLength(1);
    expect(mock.requests.filter((r) => !isRequestToken(r))).toHaveLength(2);
  });

  it('a store needs a key or authUrl to identify the credential', () => {
    expect(thrown(() => new AblyAuth({ authCallback: () => 't', store: new MemoryTokenStore() })).code).toBe(40003);
  });

  it('the store identity holds no secret', async () => {
    const store = new MemoryTokenStore();
    const keys: string[] = [];
    const spying = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (key: string, ...rest: unknown[]) => {
          keys.push(key);
          return (value as (...args: unknown[]) => unknown).call(target, key, ...rest);
        };
      },
    });
    const { auth } = setupAuth({ key: KEY, useTokenAuth: true, store: spying, authUrl: 'https://auth.example.test/t?session=hunter2secret' }, () => json(200, { token: 't', expires: Date.now() + 60_000 }));
    await auth.authorize();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain('keySecret');
      expect(key).not.toContain('hunter2secret');
    }
  });

  it('onAuthError hears a refused key once; the error is final', async () => {
    const heard: number[] = [];
    const { ably, requests } = setup({ key: KEY, useTokenAuth: true, onAuthError: (e) => heard.push(e.code) }, () => ablyError(401, 40101, 'Invalid credentials'));
    expect((await rejection(history(ably))).code).toBe(40101);
    expect(heard).toEqual([40101]);
    expect(requests).toHaveLength(1);
  });

  it('renews in the background ahead of expiry while still serving the current token', async () => {
    jest.useFakeTimers({ now: 1_700_000_000_000, doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    let issued = 0;
    const { ably, requests } = setup({ key: KEY, useTokenAuth: true, refreshMarginMs: 60_000 }, (req) =>
      isRequestToken(req) ? json(200, { token: `t${++issued}`, issued: Date.now(), expires: Date.now() + 10 * 60_000 }) : json(200, []),
    );
    await history(ably);
    jest.setSystemTime(Date.now() + 9.5 * 60_000);
    await history(ably);
    // The refresh signs with Web Crypto, which completes on the thread pool: let I/O run, no clock moves.
    for (let i = 0; i < 10_000 && ably.auth.tokenDetails?.token !== 't2'; i++) await new Promise((resolve) => setImmediate(resolve));
    await history(ably);
    const bearerTokens = requests.filter((r) => !isRequestToken(r)).map((r) => Buffer.from(r.headers.get('authorization')!.slice(7), 'base64').toString());
    expect(bearerTokens).toEqual(['t1', 't1', 't2']);
    expect(issued).toBe(2);
  });
});
