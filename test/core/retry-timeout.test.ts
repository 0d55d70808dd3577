import fc from 'fast-check';
import { RateLimitError, TokensmithError, TransportError } from '../../src/core/errors';
import { DEFAULT_RETRY_OPTIONS, backoffDelayMs, isTransient, retryDelayMs } from '../../src/core/retry';
import { TokenManager } from '../../src/core/token-manager';
import { controlledFetch, settle, useFakeClock } from './helpers';

type Tok = { token: string; expiresAt?: number };

describe('backoff arithmetic', () => {
  test('full jitter stays in [0, min(maxDelayMs, baseDelayMs·2^attempt))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseDelayMs, maxDelayMs, r) => {
          const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
          const delay = backoffDelayMs(attempt, { maxAttempts: 99, baseDelayMs, maxDelayMs }, () => r);
          return delay >= 0 && delay < cap;
        },
      ),
    );
  });

  test.each([
    [new TransportError(80000, 'network'), true],
    [new TypeError('fetch failed'), true],
    [new TokensmithError(50000, 'internal', { statusCode: 503 }), true],
    [new RateLimitError('slow down', undefined), true],
    [new TokensmithError(42910, 'rate limited'), true],
    [new TokensmithError(40101, 'bad key'), false],
    [new TokensmithError(40000, 'bad request'), false],
    [new Error('bug'), false],
  ])('isTransient(%p) is %p', (error, transient) => {
    expect(isTransient(error)).toBe(transient);
  });

  test('Retry-After is a floor with at most baseDelayMs of jitter, and one beyond maxDelayMs is not waited out', () => {
    const options = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5_000 };
    expect(retryDelayMs(new RateLimitError('x', 2_000), 0, options, () => 0)).toBe(2_000);
    expect(retryDelayMs(new RateLimitError('x', 2_000), 0, options, () => 0.999)).toBe(2_099);
    expect(retryDelayMs(new RateLimitError('x', 5_001), 0, options, () => 0)).toBeUndefined();
  });

  test('no delay once maxAttempts is used up', () => {
    const options = { ...DEFAULT_RETRY_OPTIONS, maxAttempts: 3 };
    expect(retryDelayMs(new TransportError(80000, 'x'), 1, options, () => 0)).toBeDefined();
    expect(retryDelayMs(new TransportError(80000, 'x'), 2, options, () => 0)).toBeUndefined();
  });
});

describe('retries through the TokenManager (fake timers)', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => jest.useRealTimers());

  test('a 5xx is retried after the full-jitter backoff and not a millisecond before', async () => {
    const { fetchToken, calls } = controlledFetch<Tok>();
    const m = new TokenManager<Tok>({ fetchToken, random: () => 0.999, retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 } });
    const pending = m.getToken();
    await settle();
    calls[0]!.reject(new TokensmithError(50000, 'unavailable', { statusCode: 503 }));
    await jest.advanceTimersByTimeAsync(98); // floor(0.999 · 100) = 99
    expect(fetchToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    calls[1]!.reject(new TypeError('fetch failed'));
    await jest.advanceTimersByTimeAsync(198); // floor(0.999 · 200) = 199
    expect(fetchToken).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetchToken).toHaveBeenCalledTimes(3);
    calls[2]!.resolve({ token: 'third time' });
    expect((await pending).token).toBe('third time');
  });

  test('429 with Retry-After waits what the server asked', async () => {
    const { fetchToken, calls } = controlledFetch<Tok>();
    const m = new TokenManager<Tok>({ fetchToken, random: () => 0, retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 5_000 } });
    const pending = m.getToken();
    await settle();
    calls[0]!.reject(new RateLimitError('rate limited', 2_000));
    await jest.advanceTimersByTimeAsync(1_999);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    calls[1]!.resolve({ token: 'after the wait' });
    expect((await pending).token).toBe('after the wait');
  });

  test('a Retry-After longer than maxDelayMs fails at once with the RateLimitError, not reported as an auth error', async () => {
    const onAuthError = jest.fn();
    const { fetchToken, calls } = controlledFetch<Tok>();
    const m = new TokenManager<Tok>({ fetchToken, onAuthError, retry: { maxDelayMs: 1_000 } });
    const pending = m.getToken();
    await settle();
    calls[0]!.reject(new RateLimitError('rate limited', 60_000));
    await expect(pending).rejects.toMatchObject({ code: 42910, retryAfterMs: 60_000 });
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(onAuthError).not.toHaveBeenCalled();
  });

  test('transient failures stop after maxAttempts with the last typed error', async () => {
    const { fetchToken, calls } = controlledFetch<Tok>();
    const m = new TokenManager<Tok>({ fetchToken, random: () => 0, retry: { maxAttempts: 2 } });
    const pending = m.getToken().catch((e: unknown) => e);
    await settle();
    calls[0]!.reject(new TypeError('fetch failed'));
    await settle();
    calls[1]!.reject(new TypeError('fetch failed again'));
    const error = await pending;
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 80000 });
    expect(fetchToken).toHaveBeenCalledTimes(2);
  });
});

describe('per-fetch timeout', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => jest.useRealTimers());

  test('a fetch that hangs is aborted at fetchTimeoutMs and fails with 50003', async () => {
    const { fetchToken, calls } = controlledFetch<Tok>();
    const m = new TokenManager<Tok>({ fetchToken, fetchTimeoutMs: 1_000, retry: { maxAttempts: 1 } });
    const pending = m.getToken().catch((e: unknown) => e);
    await settle();
    await jest.advanceTimersByTimeAsync(999);
    expect(calls[0]!.signal.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls[0]!.signal.aborted).toBe(true);
    const error = await pending;
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 50003, statusCode: 504 });
  });

  test('a timed-out attempt is retried, and its late answer never replaces the newer token', async () => {
    const { fetchToken, calls } = controlledFetch<Tok>();
    const m = new TokenManager<Tok>({ fetchToken, fetchTimeoutMs: 1_000, random: () => 0, retry: { maxAttempts: 2 } });
    const pending = m.getToken();
    await settle();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    calls[1]!.resolve({ token: 'newer' });
    expect((await pending).token).toBe('newer');
    calls[0]!.resolve({ token: 'late' });
    await settle();
    expect(m.peek()?.token).toBe('newer');
  });
});
