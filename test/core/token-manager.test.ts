import { InvalidCredentialsError, TokensmithError } from '../../src/core/errors';
import { SystemClock } from '../../src/core/clock';
import { TokenManager } from '../../src/core/token-manager';
import { START, controlledFetch, nextMacrotask, settle, useFakeClock } from './helpers';

type Tok = { token: string; expiresAt?: number; issuedAt?: number };
const TEN_MIN = 600_000;

beforeEach(() => useFakeClock());
afterEach(() => jest.useRealTimers());

/** A manager whose jitter is off (random() = 0), so the window starts exactly at expiry − margin. */
function manager(overrides: Partial<ConstructorParameters<typeof TokenManager<Tok>>[0]> = {}) {
  const fetch = controlledFetch<Tok>();
  const m = new TokenManager<Tok>({ fetchToken: fetch.fetchToken, random: () => 0, ...overrides });
  return { m, ...fetch };
}

describe('single flight', () => {
  test('1,000 concurrent callers on a cold manager cause exactly one fetch', async () => {
    const { m, fetchToken, calls } = manager();
    const waiting = Array.from({ length: 1000 }, () => m.getToken());
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(1);
    calls[0]!.resolve({ token: 'first', expiresAt: START + TEN_MIN });
    const tokens = await Promise.all(waiting);
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(['first']));
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  test('1,000 concurrent callers on an expired token cause exactly one more fetch', async () => {
    const { m, fetchToken, calls } = manager();
    const first = m.getToken();
    await settle();
    calls[0]!.resolve({ token: 'first', expiresAt: START + TEN_MIN });
    await first;
    jest.setSystemTime(START + TEN_MIN); // expired, never seen inside its refresh window
    const waiting = Array.from({ length: 1000 }, () => m.getToken());
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(2);
    calls[1]!.resolve({ token: 'second', expiresAt: START + 2 * TEN_MIN });
    const tokens = await Promise.all(waiting);
    expect(tokens.every((t) => t.token === 'second')).toBe(true);
  });

  test('a warm token is returned without fetching, and peek() returns it synchronously', async () => {
    const { m, fetchToken, calls } = manager();
    expect(m.peek()).toBeUndefined();
    const first = m.getToken();
    await settle();
    calls[0]!.resolve({ token: 'warm', expiresAt: START + TEN_MIN });
    const value = await first;
    for (let i = 0; i < 100; i++) expect(await m.getToken()).toBe(value);
    expect(m.peek()).toBe(value);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  test('force joins the fetch already in flight instead of starting another', async () => {
    const { m, fetchToken, calls } = manager();
    const a = m.getToken();
    const b = m.getToken({ force: true });
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(1);
    calls[0]!.resolve({ token: 'one' });
    expect((await a).token).toBe('one');
    expect((await b).token).toBe('one');
    const forced = m.getToken({ force: true });
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(2);
    calls[1]!.resolve({ token: 'two' });
    expect((await forced).token).toBe('two');
  });
});

describe('refresh ahead', () => {
  async function warm(m: TokenManager<Tok>, calls: ReturnType<typeof controlledFetch<Tok>>['calls'], expiresAt: number) {
    const first = m.getToken();
    await settle();
    calls[calls.length - 1]!.resolve({ token: 'old', expiresAt });
    await first;
  }

  test('before the window the cached token is served with no fetch', async () => {
    const { m, fetchToken, calls } = manager();
    await warm(m, calls, START + TEN_MIN);
    jest.setSystemTime(START + TEN_MIN - 60_001); // margin = min(60 s, 600 s / 10) = 60 s
    expect((await m.getToken()).token).toBe('old');
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  test('inside the window the old token is served at once while exactly one background refresh runs', async () => {
    const { m, fetchToken, calls } = manager();
    await warm(m, calls, START + TEN_MIN);
    jest.setSystemTime(START + TEN_MIN - 60_000);
    const during = await Promise.all(Array.from({ length: 50 }, () => m.getToken()));
    expect(during.every((t) => t.token === 'old')).toBe(true);
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(2);
    calls[1]!.resolve({ token: 'new', expiresAt: START + 2 * TEN_MIN });
    await settle();
    expect((await m.getToken()).token).toBe('new');
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('a short-lived token refreshes a tenth of its lifetime before expiry', async () => {
    const { m, fetchToken, calls } = manager();
    await warm(m, calls, START + 100_000); // margin 10 s
    jest.setSystemTime(START + 89_999);
    m.peek();
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(1);
    jest.setSystemTime(START + 90_000);
    m.peek();
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('refreshMarginMs overrides the default margin', async () => {
    const { m, fetchToken, calls } = manager({ refreshMarginMs: 5_000 });
    await warm(m, calls, START + TEN_MIN);
    jest.setSystemTime(START + TEN_MIN - 5_001);
    m.peek();
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(1);
    jest.setSystemTime(START + TEN_MIN - 5_000);
    m.peek();
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('jitter moves the refresh earlier by up to half the margin, never later', async () => {
    const { m, fetchToken, calls } = manager({ random: () => 0.999 });
    await warm(m, calls, START + TEN_MIN);
    const earliest = START + TEN_MIN - 60_000 - Math.floor(0.999 * 30_000);
    jest.setSystemTime(earliest - 1);
    m.peek();
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(1);
    jest.setSystemTime(earliest + 1);
    m.peek();
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });

  test('a failed background refresh keeps serving the cached token and leaves no unhandled rejection', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const { m, fetchToken, calls } = manager({ retry: { maxAttempts: 1 } });
      await warm(m, calls, START + TEN_MIN);
      jest.setSystemTime(START + TEN_MIN - 30_000);
      expect(m.peek()?.token).toBe('old');
      await settle();
      calls[1]!.reject(new TokensmithError(50000, 'server down', { statusCode: 503 }));
      await settle();
      await nextMacrotask();
      expect(unhandled).not.toHaveBeenCalled();
      expect(m.peek()?.token).toBe('old');
      expect(fetchToken).toHaveBeenCalledTimes(2);
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

describe('expiry and the clock', () => {
  test('lifetime counts from when the fetch was sent, not when it answered', async () => {
    const { m, calls } = manager();
    const pending = m.getToken();
    await settle();
    const { sentAt } = calls[0]!.context;
    expect(sentAt).toBe(START);
    jest.setSystemTime(START + 5_000); // slow token endpoint
    // Server clock one hour off: only the lifetime (expiresAt − issuedAt) is used.
    calls[0]!.resolve({ token: 't', issuedAt: START + 3_600_000, expiresAt: START + 3_600_000 + TEN_MIN });
    await pending;
    expect(m.exportState()).toMatchObject({ obtainedAt: START, expiresAt: START + TEN_MIN });
  });

  test.each([
    { offsetMs: 0, expiredAt61s: false },
    { offsetMs: 120_000, expiredAt61s: true },
  ])('a server-time offset of $offsetMs ms is applied to absolute expiries', async ({ offsetMs, expiredAt61s }) => {
    const clock = new SystemClock();
    clock.setOffset(offsetMs);
    const { m, fetchToken, calls } = manager({ clock });
    const first = m.getToken();
    await settle();
    // The server (2 min ahead of this host) says: expires one minute from ITS now.
    calls[0]!.resolve({ token: 't', expiresAt: START + 120_000 + 60_000 });
    await first;
    jest.setSystemTime(START + 61_000);
    expect(m.peek() === undefined).toBe(expiredAt61s);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  test('a token with no expiresAt is kept until invalidated', async () => {
    const { m, fetchToken, calls } = manager();
    const first = m.getToken();
    await settle();
    calls[0]!.resolve({ token: 'forever' });
    await first;
    jest.setSystemTime(START + 365 * 86_400_000);
    expect(m.peek()?.token).toBe('forever');
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  test('a token already expired on arrival is refused with 50002 instead of looping', async () => {
    const { m, calls } = manager();
    const pending = m.getToken();
    await settle();
    calls[0]!.resolve({ token: 't', expiresAt: START - 1 });
    await expect(pending).rejects.toMatchObject({ code: 50002 });
  });

  test('a fetch that resolves without a token string is refused with 50002', async () => {
    const { m, calls } = manager();
    const pending = m.getToken();
    await settle();
    calls[0]!.resolve({ token: '' });
    await expect(pending).rejects.toMatchObject({ code: 50002, name: 'AuthProviderError' });
  });
});

describe('invalidate', () => {
  test('drops the token only if it is still the current one', async () => {
    const { m, fetchToken, calls } = manager();
    const first = m.getToken();
    await settle();
    calls[0]!.resolve({ token: 't1', expiresAt: START + TEN_MIN });
    await first;
    expect(m.invalidate('someone-else')).toBe(false);
    expect(m.peek()?.token).toBe('t1');
    expect(m.invalidate('t1')).toBe(true);
    expect(m.peek()).toBeUndefined();
    const second = m.getToken();
    await settle();
    calls[1]!.resolve({ token: 't2', expiresAt: START + TEN_MIN });
    await second;
    // A late 401 for t1 arrives after t2 is in place: t2 survives.
    expect(m.invalidate('t1')).toBe(false);
    expect(m.peek()?.token).toBe('t2');
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });
});

describe('failures', () => {
  test('a failed fetch rejects every waiter with the same typed error; the next call tries again', async () => {
    const { m, fetchToken, calls } = manager({ retry: { maxAttempts: 1 } });
    const waiting = Array.from({ length: 50 }, () => m.getToken().catch((e: unknown) => e));
    await settle();
    const failure = new TokensmithError(50000, 'token endpoint broke', { statusCode: 500 });
    calls[0]!.reject(failure);
    const errors = await Promise.all(waiting);
    expect(errors.every((e) => e === failure)).toBe(true);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    const again = m.getToken();
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(2);
    calls[1]!.resolve({ token: 'recovered' });
    expect((await again).token).toBe('recovered');
  });

  test('a 401 from the token endpoint is final: no retry, reported once through onAuthError', async () => {
    const onAuthError = jest.fn();
    const { m, fetchToken, calls } = manager({ onAuthError, retry: { maxAttempts: 5, baseDelayMs: 1 } });
    const pending = m.getToken();
    await settle();
    calls[0]!.reject(new InvalidCredentialsError('key rejected', { statusCode: 401 }));
    await expect(pending).rejects.toMatchObject({ code: 40101, statusCode: 401 });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(onAuthError).toHaveBeenCalledTimes(1);
    expect(onAuthError.mock.calls[0]![0]).toMatchObject({ code: 40101 });
  });

  test('an onAuthError hook that throws does not change the error callers get', async () => {
    const { m, calls } = manager({ onAuthError: () => { throw new Error('hook bug'); } });
    const pending = m.getToken();
    await settle();
    calls[0]!.reject(new InvalidCredentialsError('key rejected'));
    await expect(pending).rejects.toMatchObject({ code: 40101 });
  });

  test('an untyped throw becomes AuthProviderError 40170 keeping a cause', async () => {
    const { m, calls } = manager();
    const pending = m.getToken();
    await settle();
    calls[0]!.reject(new RangeError('provider bug'));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AuthProviderError', code: 40170 });
    expect((error as Error).cause).toMatchObject({ name: 'RangeError', message: 'provider bug' });
  });
});

describe('warm start', () => {
  test('exportState() feeds initialState of a new manager, which serves it without fetching', async () => {
    const { m, calls } = manager();
    const first = m.getToken();
    await settle();
    calls[0]!.resolve({ token: 'carried', expiresAt: START + TEN_MIN });
    await first;
    const saved = JSON.parse(JSON.stringify(m.exportState()));
    const next = manager({ initialState: saved });
    expect((await next.m.getToken()).token).toBe('carried');
    expect(next.fetchToken).not.toHaveBeenCalled();
  });

  test('an expired initialState is ignored and a token is fetched', async () => {
    const { m, fetchToken } = manager({
      initialState: { value: { token: 'stale' }, obtainedAt: START - TEN_MIN, expiresAt: START - 1 },
    });
    expect(m.exportState()).toBeUndefined();
    void m.getToken();
    await settle();
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });
});

describe('options are checked when the manager is built', () => {
  test.each([
    [{ fetchToken: 'not a function' }, '"fetchToken"'],
    [{ fetchTimeoutMs: 0 }, '"fetchTimeoutMs"'],
    [{ retry: { maxAttempts: 0 } }, '"retry.maxAttempts"'],
    [{ storeKey: 'k' }, '"store" and "storeKey"'],
    [{ refreshMarginMs: -1 }, '"refreshMarginMs"'],
  ])('%j is refused naming the option', (bad, name) => {
    const build = () => new TokenManager<Tok>({ fetchToken: async () => ({ token: 't' }), ...(bad as object) });
    expect(build).toThrow(expect.objectContaining({ code: 40003, message: expect.stringContaining(name) }));
  });
});
