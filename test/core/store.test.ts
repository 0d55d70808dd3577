import { TokensmithError } from '../../src/core/errors';
import { MemoryTokenStore, sharedStore, type TokenStore } from '../../src/store';
import { TokenManager } from '../../src/core/token-manager';
import { START, controlledFetch, settle, useFakeClock } from './helpers';

type Tok = { token: string; expiresAt?: number };
const KEY = 'tokensmith:v1:test';
const TEN_MIN = 600_000;

beforeEach(() => useFakeClock());
afterEach(() => jest.useRealTimers());

function managerOn(store: TokenStore, extra: Partial<ConstructorParameters<typeof TokenManager<Tok>>[0]> = {}) {
  const fetch = controlledFetch<Tok>();
  const m = new TokenManager<Tok>({ fetchToken: fetch.fetchToken, store: sharedStore(store), storeKey: KEY, random: () => 0, ...extra });
  return { m, ...fetch };
}

describe('MemoryTokenStore', () => {
  test('values expire with their TTL', async () => {
    const store = new MemoryTokenStore();
    await store.set(KEY, { value: { token: 't' }, obtainedAt: START }, 1_000);
    expect(await store.get(KEY)).toBeDefined();
    jest.setSystemTime(START + 1_000);
    expect(await store.get(KEY)).toBeUndefined();
  });

  test('a lock is exclusive to its owner until released or past its TTL', async () => {
    const store = new MemoryTokenStore();
    expect(await store.acquireLock(KEY, 'a', 5_000)).toBe(true);
    expect(await store.acquireLock(KEY, 'b', 5_000)).toBe(false);
    expect(await store.acquireLock(KEY, 'a', 5_000)).toBe(true);
    await store.releaseLock(KEY, 'b'); // not b's: no effect
    expect(await store.acquireLock(KEY, 'b', 5_000)).toBe(false);
    jest.setSystemTime(START + 5_000);
    expect(await store.acquireLock(KEY, 'b', 5_000)).toBe(true);
    await store.releaseLock(KEY, 'b');
    expect(await store.acquireLock(KEY, 'c', 5_000)).toBe(true);
  });

  test('waitForUpdate resolves on set and on release, or at its timeout', async () => {
    const store = new MemoryTokenStore();
    const woke = jest.fn();
    void store.waitForUpdate(KEY, 10_000).then(woke);
    await store.set(KEY, { value: { token: 't' }, obtainedAt: START }, 1_000);
    await settle();
    expect(woke).toHaveBeenCalledTimes(1);

    await store.acquireLock(KEY, 'a', 5_000);
    void store.waitForUpdate(KEY, 10_000).then(woke);
    await store.releaseLock(KEY, 'a');
    await settle();
    expect(woke).toHaveBeenCalledTimes(2);

    void store.waitForUpdate(KEY, 300).then(woke);
    await jest.advanceTimersByTimeAsync(299);
    expect(woke).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(woke).toHaveBeenCalledTimes(3);
  });
});

describe('TokenManager with a store', () => {
  test('two managers sharing one store cold and at once cause exactly one fetch', async () => {
    const store = new MemoryTokenStore();
    const a = managerOn(store);
    const b = managerOn(store);
    const waiting = [...Array.from({ length: 100 }, () => a.m.getToken()), ...Array.from({ length: 100 }, () => b.m.getToken())];
    await settle();
    expect(a.fetchToken.mock.calls.length + b.fetchToken.mock.calls.length).toBe(1);
    const holder = a.calls[0] ?? b.calls[0];
    holder!.resolve({ token: 'shared', expiresAt: START + TEN_MIN });
    const tokens = await Promise.all(waiting);
    expect(tokens.every((t) => t.token === 'shared')).toBe(true);
    expect(a.fetchToken.mock.calls.length + b.fetchToken.mock.calls.length).toBe(1);
  });

  test('a warm getToken never touches the store', async () => {
    const store = new MemoryTokenStore();
    const get = jest.spyOn(store, 'get');
    const set = jest.spyOn(store, 'set');
    const { m, calls } = managerOn(store);
    const first = m.getToken();
    await settle();
    calls[0]!.resolve({ token: 't', expiresAt: START + TEN_MIN });
    await first;
    get.mockClear();
    set.mockClear();
    for (let i = 0; i < 100; i++) await m.getToken();
    expect(get).not.toHaveBeenCalled();
    expect(set).not.toHaveBeenCalled();
  });

  test('a store without lock hooks is read before fetching and written after', async () => {
    const memory = new MemoryTokenStore();
    const plain: TokenStore = { get: (k) => memory.get(k), set: (k, s, t) => memory.set(k, s, t), delete: (k) => memory.delete(k) };
    const a = managerOn(plain);
    const first = a.m.getToken();
    await settle();
    a.calls[0]!.resolve({ token: 'published', expiresAt: START + TEN_MIN });
    await first;
    const b = managerOn(plain);
    expect((await b.m.getToken()).token).toBe('published');
    expect(b.fetchToken).not.toHaveBeenCalled();
  });

  test('the TTL given to the store is the token’s remaining life', async () => {
    const store = new MemoryTokenStore();
    const set = jest.spyOn(store, 'set');
    const { m, calls } = managerOn(store);
    const first = m.getToken();
    await settle();
    calls[0]!.resolve({ token: 't', expiresAt: START + TEN_MIN });
    await first;
    expect(set).toHaveBeenCalledWith(KEY, expect.objectContaining({ expiresAt: START + TEN_MIN }), TEN_MIN);
  });

  test('a token published between the store read and taking the lock is used instead of fetching', async () => {
    const memory = new MemoryTokenStore();
    const racing: TokenStore = {
      get: (k) => memory.get(k),
      set: (k, st, ttl) => memory.set(k, st, ttl),
      delete: (k) => memory.delete(k),
      acquireLock: async (k, owner, ttl) => {
        // Another process finishes its fetch just before our lock attempt.
        await memory.set(k, { value: { token: 'raced' }, obtainedAt: START, expiresAt: START + TEN_MIN }, TEN_MIN);
        return memory.acquireLock(k, owner, ttl);
      },
      releaseLock: (k, owner) => memory.releaseLock(k, owner),
    };
    const { m, fetchToken } = managerOn(racing);
    expect((await m.getToken()).token).toBe('raced');
    expect(fetchToken).not.toHaveBeenCalled();
  });

  test('if the lock holder dies, a waiter takes over once the lock TTL has passed', async () => {
    const store = new MemoryTokenStore();
    await store.acquireLock(KEY, 'dead process', 5_000);
    const { m, fetchToken, calls } = managerOn(store, { lock: { pollMinMs: 25, pollMaxMs: 500 } });
    const pending = m.getToken();
    await jest.advanceTimersByTimeAsync(4_999);
    expect(fetchToken).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(501);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    calls[0]!.resolve({ token: 'taken over', expiresAt: START + TEN_MIN });
    expect((await pending).token).toBe('taken over');
  });

  test('if the lock holder’s fetch fails, a waiter takes over at once', async () => {
    const store = new MemoryTokenStore();
    const a = managerOn(store, { retry: { maxAttempts: 1 } });
    const b = managerOn(store);
    const fromA = a.m.getToken().catch((e: unknown) => e);
    await settle();
    const fromB = b.m.getToken();
    await settle();
    expect(a.fetchToken).toHaveBeenCalledTimes(1);
    expect(b.fetchToken).not.toHaveBeenCalled();
    a.calls[0]!.reject(new TokensmithError(50000, 'boom', { statusCode: 500 }));
    expect(await fromA).toMatchObject({ code: 50000 });
    await settle();
    expect(b.fetchToken).toHaveBeenCalledTimes(1);
    b.calls[0]!.resolve({ token: 'b fetched', expiresAt: START + TEN_MIN });
    expect((await fromB).token).toBe('b fetched');
  });

  test('a refresh ahead picks up a newer token another process already published', async () => {
    const store = new MemoryTokenStore();
    const a = managerOn(store);
    const b = managerOn(store, { refreshMarginMs: 30_000 }); // b's window opens later than a's
    const first = a.m.getToken();
    await settle();
    a.calls[0]!.resolve({ token: 'one', expiresAt: START + TEN_MIN });
    await first;
    expect((await b.m.getToken()).token).toBe('one');

    jest.setSystemTime(START + TEN_MIN - 60_000);
    a.m.peek();
    await settle();
    expect(a.fetchToken).toHaveBeenCalledTimes(2); // the stored copy is the token being replaced
    a.calls[1]!.resolve({ token: 'two', expiresAt: START + 2 * TEN_MIN });
    await settle();

    jest.setSystemTime(START + TEN_MIN - 30_000);
    b.m.peek();
    await settle();
    expect(b.m.peek()?.token).toBe('two');
    expect(b.fetchToken).not.toHaveBeenCalled();
  });

  test('an invalidated token is not taken back from the store', async () => {
    const store = new MemoryTokenStore();
    const { m, fetchToken, calls } = managerOn(store);
    const first = m.getToken();
    await settle();
    calls[0]!.resolve({ token: 'revoked', expiresAt: START + TEN_MIN });
    await first;
    m.invalidate('revoked');
    const second = m.getToken();
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(2);
    calls[1]!.resolve({ token: 'fresh', expiresAt: START + TEN_MIN });
    expect((await second).token).toBe('fresh');
    expect((await store.get<Tok>(KEY))?.value.token).toBe('fresh');
  });

  test('a failing store is logged and bypassed: the token is still fetched', async () => {
    const warn = jest.fn();
    const down: TokenStore = {
      get: () => Promise.reject(new Error('ECONNREFUSED')),
      set: () => Promise.reject(new Error('ECONNREFUSED')),
      delete: () => Promise.reject(new Error('ECONNREFUSED')),
      acquireLock: () => Promise.reject(new Error('ECONNREFUSED')),
      releaseLock: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const logger = { debug: jest.fn(), info: jest.fn(), warn, error: jest.fn() };
    const { m, calls } = managerOn(down, { logger });
    const pending = m.getToken();
    await settle();
    calls[0]!.resolve({ token: 'direct', expiresAt: START + TEN_MIN });
    expect((await pending).token).toBe('direct');
    expect(warn.mock.calls.map((c) => c[1])).toEqual(
      expect.arrayContaining([expect.stringContaining('get failed'), expect.stringContaining('set failed')]),
    );
  });
});
