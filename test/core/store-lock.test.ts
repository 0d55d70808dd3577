import { AblyAuth } from '../../src/ably';
import { MemoryTokenStore, sharedStore, type TokenStore } from '../../src/store';
import { DEFAULT_TOKEN_MANAGER_OPTIONS, TokenManager } from '../../src/core/token-manager';
import { MetquayAuth } from '../../src/metquay';
import { START, controlledFetch, settle, useFakeClock } from './helpers';

type Tok = { token: string; expiresAt?: number };
const KEY = 'tokensmith:v1:lock-test';
const TEN_MIN = 600_000;
const TTL = DEFAULT_TOKEN_MANAGER_OPTIONS.lock.ttlMs;

beforeEach(() => useFakeClock());
afterEach(() => jest.useRealTimers());

function managerOn(store: TokenStore, extra: Partial<ConstructorParameters<typeof TokenManager<Tok>>[0]> = {}) {
  const fetch = controlledFetch<Tok>();
  // Fetches here may hang for many TTLs; the attempt timeout is not what these tests are about.
  const m = new TokenManager<Tok>({ fetchToken: fetch.fetchToken, store: sharedStore(store), storeKey: KEY, random: () => 0, fetchTimeoutMs: 10 * TEN_MIN, ...extra });
  return { m, ...fetch };
}

describe('the fleet fetch lock', () => {
  test('defaults: a 5 s TTL, polls from 25 ms up to 500 ms', () => {
    expect(DEFAULT_TOKEN_MANAGER_OPTIONS.lock).toEqual({ ttlMs: 5_000, pollMinMs: 25, pollMaxMs: 500 });
  });

  test('MemoryTokenStore.extendLock extends only its owner’s live lock', async () => {
    const store = new MemoryTokenStore();
    expect(await store.extendLock(KEY, 'a', 1_000)).toBe(false); // nothing to extend
    await store.acquireLock(KEY, 'a', 1_000);
    expect(await store.extendLock(KEY, 'b', 5_000)).toBe(false);
    jest.setSystemTime(START + 900);
    expect(await store.extendLock(KEY, 'a', 1_000)).toBe(true);
    jest.setSystemTime(START + 1_800);
    expect(await store.acquireLock(KEY, 'b', 1_000)).toBe(false); // still a's, renewed at 900
    jest.setSystemTime(START + 1_900);
    expect(await store.extendLock(KEY, 'a', 1_000)).toBe(false); // lapsed
    expect(await store.acquireLock(KEY, 'b', 1_000)).toBe(true);
  });

  test('a live holder renews its lock every third of the TTL, so a fetch 10 TTLs long is still the only one', async () => {
    const store = new MemoryTokenStore();
    const extend = jest.spyOn(store, 'extendLock');
    const a = managerOn(store);
    const b = managerOn(store);
    const fromA = a.m.getToken();
    await settle();
    const fromB = b.m.getToken();
    await jest.advanceTimersByTimeAsync(10 * TTL);
    expect(a.fetchToken).toHaveBeenCalledTimes(1);
    expect(b.fetchToken).not.toHaveBeenCalled();
    expect(extend.mock.calls.length).toBeGreaterThanOrEqual(29);
    expect(extend.mock.calls.every(([, , ttlMs]) => ttlMs === TTL)).toBe(true);
    a.calls[0]!.resolve({ token: 'slow but single', expiresAt: START + TEN_MIN });
    expect((await fromA).token).toBe('slow but single');
    expect((await fromB).token).toBe('slow but single');
    const renewals = extend.mock.calls.length;
    await jest.advanceTimersByTimeAsync(10 * TTL);
    expect(extend.mock.calls.length).toBe(renewals); // renewal stops with the fetch
  });

  test('a holder that stops renewing (it died) loses the lock within one TTL; a waiter then fetches', async () => {
    const store = new MemoryTokenStore();
    await store.acquireLock(KEY, 'a process that died', TTL);
    const { m, fetchToken, calls } = managerOn(store);
    const pending = m.getToken();
    await jest.advanceTimersByTimeAsync(TTL - 1);
    expect(fetchToken).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(DEFAULT_TOKEN_MANAGER_OPTIONS.lock.pollMaxMs + 1);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    calls[0]!.resolve({ token: 'taken over', expiresAt: START + TEN_MIN });
    expect((await pending).token).toBe('taken over');
  });

  test('a store without extendLock is renewed through acquireLock', async () => {
    const memory = new MemoryTokenStore();
    const acquire = jest.fn((k: string, owner: string, ttl: number) => memory.acquireLock(k, owner, ttl));
    const store: TokenStore = {
      get: (k) => memory.get(k),
      set: (k, s, t) => memory.set(k, s, t),
      delete: (k) => memory.delete(k),
      acquireLock: acquire,
      releaseLock: (k, owner) => memory.releaseLock(k, owner),
    };
    const a = managerOn(store);
    const b = managerOn(store);
    const fromA = a.m.getToken();
    await settle();
    const fromB = b.m.getToken();
    await jest.advanceTimersByTimeAsync(3 * TTL);
    expect(b.fetchToken).not.toHaveBeenCalled();
    a.calls[0]!.resolve({ token: 'one', expiresAt: START + TEN_MIN });
    await jest.advanceTimersByTimeAsync(DEFAULT_TOKEN_MANAGER_OPTIONS.lock.pollMaxMs); // b polls: no waitForUpdate here
    expect([(await fromA).token, (await fromB).token]).toEqual(['one', 'one']);
    const owners = new Set(acquire.mock.calls.filter((call) => call[1] !== undefined).map((call) => call[1]));
    expect(owners.size).toBe(2); // a's renewals and b's attempts, nobody else
  });

  test('a failed renewal is logged and retried; a lost lock is logged once and the fetch goes on', async () => {
    const memory = new MemoryTokenStore();
    let renewals = 0;
    const store: TokenStore = {
      get: (k) => memory.get(k),
      set: (k, s, t) => memory.set(k, s, t),
      delete: (k) => memory.delete(k),
      acquireLock: (k, owner, ttl) => memory.acquireLock(k, owner, ttl),
      extendLock: async () => (++renewals === 1 ? Promise.reject(new Error('ETIMEDOUT')) : false),
      releaseLock: (k, owner) => memory.releaseLock(k, owner),
    };
    const warn = jest.fn();
    const { m, calls } = managerOn(store, { logger: { debug: jest.fn(), info: jest.fn(), warn, error: jest.fn() } });
    const pending = m.getToken();
    await jest.advanceTimersByTimeAsync(5 * TTL);
    expect(renewals).toBe(2);
    expect(warn.mock.calls.map((call) => call[1])).toEqual([
      expect.stringContaining('renewal failed'),
      expect.stringContaining('lapsed during a slow fetch'),
    ]);
    calls[0]!.resolve({ token: 'still mine', expiresAt: START + TEN_MIN });
    expect((await pending).token).toBe('still mine');
  });

  test('a waiter stops waiting on a live holder after maxWaitMs and fetches on its own', async () => {
    const store = new MemoryTokenStore();
    const a = managerOn(store);
    const warn = jest.fn();
    const b = managerOn(store, { lock: { maxWaitMs: 3 * TTL }, logger: { debug: jest.fn(), info: jest.fn(), warn, error: jest.fn() } });
    void a.m.getToken();
    await settle();
    const fromB = b.m.getToken();
    await jest.advanceTimersByTimeAsync(3 * TTL - 1);
    expect(b.fetchToken).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(b.fetchToken).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ key: KEY }), expect.stringContaining('stayed busy'));
    b.calls[0]!.resolve({ token: 'b on its own', expiresAt: START + TEN_MIN });
    expect((await fromB).token).toBe('b on its own');
  });

  test('by default a waiter waits as long as the holder’s fetch may retry, plus one TTL', async () => {
    const store = new MemoryTokenStore();
    const retry = { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 1_000 };
    const budget = 1_000 * 2 + (1_000 + 100) * 1 + TTL;
    const a = managerOn(store); // a hangs far longer than b's budget
    const b = managerOn(store, { fetchTimeoutMs: 1_000, retry });
    void a.m.getToken();
    await settle();
    void b.m.getToken().catch(() => {});
    await jest.advanceTimersByTimeAsync(budget - 1);
    expect(b.fetchToken).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(b.fetchToken).toHaveBeenCalledTimes(1);
  });

  test.each([
    ['lock.ttlMs', { ttlMs: 0 }],
    ['lock.maxWaitMs', { maxWaitMs: -1 }],
    ['lock.pollMaxMs', { pollMaxMs: Number.NaN }],
  ])('refuses a bad %s with 40003', (name, lock) => {
    expect(() => managerOn(new MemoryTokenStore(), { lock })).toThrow(expect.objectContaining({ code: 40003, message: expect.stringContaining(name) }));
  });
});

describe('providers pass their lock options to the store', () => {
  type Obtain = (store: TokenStore, lock?: { ttlMs: number }) => Promise<unknown>;
  const metquay: Obtain = (store, lock) =>
    new MetquayAuth({ accessKey: 'ak', secretKey: 'sk', baseUrl: 'http://127.0.0.1:1/api/v1', store: sharedStore(store), fetch: metquayFetch, ...(lock ? { lock } : {}) }).getToken();
  const ably: Obtain = (store, lock) => new AblyAuth({ key: 'appId.keyId:keySecret', store: sharedStore(store), fetch: ablyFetch, ...(lock ? { lock } : {}) }).authorize();

  test.each([
    ['MetquayAuth', metquay],
    ['AblyAuth', ably],
  ])('%s: the default TTL, or the one given', async (_name, obtain) => {
    jest.useRealTimers();
    for (const [lock, ttlMs] of [[undefined, TTL], [{ ttlMs: 1_234 }, 1_234]] as const) {
      const store = new MemoryTokenStore();
      const acquire = jest.spyOn(store, 'acquireLock');
      await obtain(store, lock);
      expect(acquire.mock.calls.map((call) => call[2])).toEqual([ttlMs]);
    }
  });
});

async function metquayFetch(): Promise<Response> {
  return Response.json({ accessToken: 'metquay-token', tokenType: 'bearer', expiresIn: 900 });
}

async function ablyFetch(input: RequestInfo | URL): Promise<Response> {
  const url = String(input instanceof Request ? input.url : input);
  if (url.endsWith('/time')) return Response.json([Date.now()]);
  return Response.json({ token: 'ably-token', keyName: 'appId.keyId', issued: Date.now(), expires: Date.now() + 3_600_000, capability: '{"*":["*"]}' });
}
