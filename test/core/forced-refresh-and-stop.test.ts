import { TransportError } from '../../src/core/errors';
import { MemoryTokenStore } from '../../src/core/store';
import { TokenManager } from '../../src/core/token-manager';
import { DEFAULT_TOKEN_MANAGER_OPTIONS } from '../../src/core/token-manager-options';
import { START, controlledFetch, settle, useFakeClock } from './helpers';

type Tok = { token: string; expiresAt?: number };
const HOUR = 3_600_000;

beforeEach(() => useFakeClock());
afterEach(() => jest.useRealTimers());

function manager(overrides: Partial<ConstructorParameters<typeof TokenManager<Tok>>[0]> = {}) {
  const fetch = controlledFetch<Tok>();
  const m = new TokenManager<Tok>({ fetchToken: fetch.fetchToken, random: () => 0, refreshMarginMs: 0, ...overrides });
  return { m, ...fetch };
}

async function warm(m: TokenManager<Tok>, calls: ReturnType<typeof controlledFetch<Tok>>['calls'], token: string, expiresAt: number) {
  const pending = m.getToken();
  await settle();
  calls.at(-1)!.resolve({ token, expiresAt });
  await pending;
}

describe('forced-refresh window', () => {
  test('the default is a few seconds, and documented on the defaults object', () => {
    expect(DEFAULT_TOKEN_MANAGER_OPTIONS.forcedRefreshWindowMs).toBe(3_000);
  });

  test('a token is served until the window starts, and not one millisecond into it', async () => {
    const { m, calls, fetchToken } = manager({ forcedRefreshWindowMs: 5_000 });
    await warm(m, calls, 'edge', START + HOUR);
    jest.setSystemTime(START + HOUR - 5_001);
    expect(m.peek()?.token).toBe('edge');
    expect((await m.getToken()).token).toBe('edge');
    expect(fetchToken).toHaveBeenCalledTimes(1);
    jest.setSystemTime(START + HOUR - 5_000);
    expect(m.peek()).toBeUndefined();
  });

  test('inside the window every caller waits for one renewal (single flight), then gets the new token', async () => {
    const { m, calls, fetchToken } = manager({ forcedRefreshWindowMs: 5_000 });
    await warm(m, calls, 'old', START + HOUR);
    jest.setSystemTime(START + HOUR - 1_000); // still valid, but too close to send
    const waiting = Array.from({ length: 100 }, () => m.getToken());
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(2);
    calls[1]!.resolve({ token: 'new', expiresAt: START + 2 * HOUR });
    const tokens = await Promise.all(waiting);
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(['new']));
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('a background refresh already in flight is joined, not duplicated, when the window starts', async () => {
    const { m, calls, fetchToken } = manager({ refreshMarginMs: 60_000, forcedRefreshWindowMs: 5_000 });
    await warm(m, calls, 'old', START + HOUR);
    jest.setSystemTime(START + HOUR - 30_000);
    expect(m.peek()?.token).toBe('old'); // starts the background refresh
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(2);
    jest.setSystemTime(START + HOUR - 2_000);
    const joined = m.getToken();
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(2);
    calls[1]!.resolve({ token: 'renewed', expiresAt: START + 2 * HOUR });
    expect((await joined).token).toBe('renewed');
  });

  test('the window is capped at a tenth of a short token’s lifetime, so it is still served', async () => {
    const { m, calls } = manager({ forcedRefreshWindowMs: 5_000 });
    await warm(m, calls, 'short', START + 10_000); // 10 s lifetime: window 1 s
    jest.setSystemTime(START + 8_999);
    expect(m.peek()?.token).toBe('short');
    jest.setSystemTime(START + 9_000);
    expect(m.peek()).toBeUndefined();
  });

  test('0 turns it off: a token is served until its expiry', async () => {
    const { m, calls } = manager({ forcedRefreshWindowMs: 0 });
    await warm(m, calls, 'zero', START + HOUR);
    jest.setSystemTime(START + HOUR - 1);
    expect(m.peek()?.token).toBe('zero');
  });

  test('a negative window is refused naming the option', () => {
    expect(() => manager({ forcedRefreshWindowMs: -1 })).toThrow(/"forcedRefreshWindowMs" must be a non-negative number/);
  });
});

describe('stop()', () => {
  test('a stopped manager starts no background refresh', async () => {
    const { m, calls, fetchToken } = manager({ refreshMarginMs: 60_000 });
    await warm(m, calls, 'old', START + HOUR);
    m.stop();
    jest.setSystemTime(START + HOUR - 30_000);
    expect(m.peek()?.token).toBe('old');
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(m.stopped).toBe(true);
  });

  test('a fetch in flight at stop() settles for its callers but is not written to the store', async () => {
    const store = new MemoryTokenStore();
    const { m, calls } = manager({ store, storeKey: 'tokensmith:v1:stop' });
    const pending = m.getToken();
    await settle();
    m.stop();
    calls[0]!.resolve({ token: 'late', expiresAt: START + HOUR });
    expect((await pending).token).toBe('late');
    expect(await store.get('tokensmith:v1:stop')).toBeUndefined();
  });

  test('a transient failure after stop() is not retried: no timer is left behind', async () => {
    const { m, calls, fetchToken } = manager();
    const pending = m.getToken().catch((error: unknown) => error);
    await settle();
    m.stop();
    calls[0]!.reject(new TransportError(80000, 'network down'));
    expect(await pending).toBeInstanceOf(TransportError);
    expect(jest.getTimerCount()).toBe(0);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });
});
