import type { Clock } from './clock';
import { InvalidArgumentError, type TokensmithError } from './errors';
import { DEFAULT_FORCED_REFRESH_WINDOW_MS } from './token-entry';
import type { Logger } from './logger';
import { withoutUndefined, type PartialOrUndefined } from './options';
import type { TokenEventListener } from './telemetry';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from './retry';
import { kitOf, type SharedTokenStore } from './store-key';
import type { TokenLike, TokenState } from './store';

/** Passed to `fetchToken` beside the signal. */
export interface FetchContext {
  /**
   * {@link Clock} time at which this attempt was sent. Turn a relative lifetime into an expiry
   * with it (`expiresAt: sentAt + expiresIn * 1000`), so lifetime counts from the send.
   */
  sentAt: number;
}

/**
 * The fleet fetch lock of a {@link TokenStore}: how long it lives, and how waiters poll while
 * another process holds it.
 *
 * The lock is short and renewed: its holder extends it every `ttlMs / 3` (compare-and-set on its
 * owner id) while its fetch runs, so a slow but live fetch keeps it however long its retries take,
 * and a holder that dies loses it within `ttlMs`; the next waiter then takes over.
 */
export interface LockOptions {
  /**
   * How long the lock outlives its holder's last renewal. Default 5000: a dead holder stalls the
   * fleet at most this long, and a live one renews it every 1.7 s, so it keeps the lock through a
   * Redis command timeout (500 ms) or an event-loop stall of up to about 3 s.
   */
  ttlMs?: number | undefined;
  /** First poll interval; doubles per poll. Default 25. */
  pollMinMs: number;
  /**
   * Longest poll interval. Default 500. A waiter is woken at once when the token lands or the lock
   * is released (when the store has `waitForUpdate`); polls catch a lock that lapsed.
   */
  pollMaxMs: number;
  /**
   * How long a waiter waits for a live holder before fetching on its own. Default: the longest a
   * fetch with its retries can take, plus `ttlMs`:
   * `min(acquireTimeoutMs, fetchTimeoutMs·maxAttempts + (maxDelayMs + baseDelayMs)·(maxAttempts − 1)) + ttlMs`.
   */
  maxWaitMs?: number | undefined;
}

/** Options of {@link TokenManager}. */
/**
 * The token-lifecycle options a provider (`AblyAuth`, `MetquayAuth`) takes as the user gives them
 * and hands its {@link TokenManager} unchanged, besides its own.
 */
export interface ProviderTokenOptions {
  /** Shares tokens with other clients or processes: a store from `tokensmith/store` or `tokensmith/redis`. */
  store?: SharedTokenStore | undefined;
  /** The store's fleet fetch lock: TTL (default 5 s, renewed while the fetch runs) and polling. */
  lock?: PartialOrUndefined<LockOptions> | undefined;
  /** How long before expiry a token is renewed in the background; default min(60 s, lifetime / 10). */
  refreshMarginMs?: number | undefined;
  /**
   * The last stretch before expiry in which a token is no longer sent: requests wait for the
   * renewal instead (one fetch however many wait). Default 3 s, capped at a tenth of the lifetime.
   */
  forcedRefreshWindowMs?: number | undefined;
  /** Hears every final auth failure (bad credentials, a rejected request, …) once. */
  onAuthError?: ((error: TokensmithError) => void) | undefined;
  /**
   * The most one token fetch takes, every attempt and backoff included: past it the call fails
   * with `TimeoutError` 50003, so a hung endpoint fails a call within it. Default 30 000.
   */
  acquireTimeoutMs?: number | undefined;
  /** Hears the token lifecycle (obtained, cached, renewed ahead, rejected, retried, failed, lock waits); see docs/telemetry.md. */
  onTokenEvent?: TokenEventListener | undefined;
  /** Pino-shaped logger; silent by default; never sees a secret or a token. */
  logger?: Logger | undefined;
}

export interface TokenManagerOptions<T extends TokenLike> {
  /**
   * Fetches a new token. Must honour `signal` (the per-attempt timeout). How it signals failure
   * decides what happens next:
   * - throw a `TransportError` (or let fetch's `TypeError` through), or a `TokensmithError` with
   *   `statusCode` ≥ 500: transient, retried with backoff;
   * - throw a `RateLimitError` (or any `TokensmithError` with `statusCode` 429): transient;
   *   its `retryAfterMs` is waited out first;
   * - throw a `TokensmithError` with another 4xx `statusCode`: final, passed to `onAuthError`;
   * - anything else: final, wrapped in an `AuthProviderError` 40170.
   */
  fetchToken: (signal: AbortSignal, context: FetchContext) => Promise<T>;
  /**
   * How long before expiry a background refresh starts. Default: the smaller of 60 s and a tenth
   * of the token's lifetime. Jitter (see `refreshJitterRatio`) only makes it earlier.
   */
  refreshMarginMs?: number | undefined;
  /**
   * The last stretch before expiry in which a token is no longer served: callers wait for the
   * renewal (joining the one in flight) instead of sending a token that may expire on the way.
   * Capped at a tenth of the token's lifetime. Default 3 s
   * ({@link DEFAULT_TOKEN_MANAGER_OPTIONS}).
   */
  forcedRefreshWindowMs?: number | undefined;
  /** Extra random lead, as a fraction of the margin: refresh starts in `(expiry − margin·(1+ratio), expiry − margin]`. */
  refreshJitterRatio?: number | undefined;
  /** Time source, with server-time offset; a new `SystemClock` by default. */
  clock?: Clock | undefined;
  /**
   * Shares tokens beyond this manager; needs `storeKey`. A store from `tokensmith/store`
   * (`MemoryTokenStore`, or your own wrapped in `sharedStore()`) or `tokensmith/redis`.
   */
  store?: SharedTokenStore | undefined;
  /**
   * The credential identity under which `store` keeps this token (`credentialIdentity()` from
   * `tokensmith/store`), or a promise of it.
   */
  storeKey?: string | Promise<string> | undefined;
  /** A state from {@link TokenManager.exportState}, so a new process starts warm. */
  initialState?: TokenState<T> | undefined;
  /** Timeout of one `fetchToken` attempt; `TimeoutError` 50003 when it passes (then retried). */
  fetchTimeoutMs?: number | undefined;
  /**
   * The most one token fetch takes, every attempt and backoff included: past it the attempt in
   * flight is aborted and callers get a `TimeoutError` 50003, so a hung endpoint fails the call
   * within this bound. A retry whose wait would end past it is not waited for. Default 30 000, or
   * `fetchTimeoutMs` when that is longer (one attempt always gets its own timeout).
   */
  acquireTimeoutMs?: number | undefined;
  /** Hears the token lifecycle ({@link TokenEvent}s): obtained, served from cache, renewed ahead, rejected, retried, failed, waited on a fleet lock. */
  onTokenEvent?: TokenEventListener | undefined;
  /** Names the provider in {@link TokenEvent}s (`ably`, `metquay`); `custom` by default. */
  provider?: string | undefined;
  /** Retry of transient failures, merged over {@link DEFAULT_RETRY_OPTIONS}. */
  retry?: PartialOrUndefined<RetryOptions> | undefined;
  /** The store's fetch lock ({@link LockOptions}), merged over the defaults. */
  lock?: PartialOrUndefined<LockOptions> | undefined;
  /** Hears every final auth failure (4xx other than 429) once; e.g. to alert or rotate a key. */
  onAuthError?: ((error: TokensmithError) => void) | undefined;
  /** Pino-shaped logger; silent by default. Lines are redacted of tokens and `secrets`. */
  logger?: Logger | undefined;
  /** Further strings to scrub from logs and wrapped errors (e.g. the key secret). */
  secrets?: readonly string[] | undefined;
  /** Random source in `[0, 1)` for jitter; `Math.random` by default. */
  random?: (() => number) | undefined;
}

/** Defaults merged under {@link TokenManagerOptions}. */
export const DEFAULT_TOKEN_MANAGER_OPTIONS = /* @__PURE__ */ Object.freeze({
  fetchTimeoutMs: 10_000,
  acquireTimeoutMs: 30_000,
  forcedRefreshWindowMs: DEFAULT_FORCED_REFRESH_WINDOW_MS,
  refreshJitterRatio: 0.5,
  retry: DEFAULT_RETRY_OPTIONS,
  lock: /* @__PURE__ */ Object.freeze({ ttlMs: 5_000, pollMinMs: 25, pollMaxMs: 500 }),
});

/** Options after defaults are merged and values checked. */
export interface ResolvedOptions {
  fetchTimeoutMs: number;
  acquireTimeoutMs: number;
  refreshJitterRatio: number;
  refreshMarginMs: number | undefined;
  forcedRefreshWindowMs: number;
  retry: RetryOptions;
  lock: Required<LockOptions>;
}

/**
 * Every numeric option after defaults are merged, by what it must be; each failure names the
 * option (never its value) and the rule. `undefined` (only `refreshMarginMs` can be) is skipped.
 */
const NUMBER_RULES: readonly (readonly [mustBe: string, holds: (value: number) => boolean, paths: readonly string[]])[] = [
  // Inputs of the derived lock.maxWaitMs first, so a bad one is named rather than maxWaitMs.
  ['an integer ≥ 1', (value) => Number.isInteger(value) && value >= 1, ['retry.maxAttempts']],
  ['a non-negative number', (value) => value >= 0, ['refreshJitterRatio', 'refreshMarginMs', 'forcedRefreshWindowMs', 'retry.baseDelayMs', 'retry.maxDelayMs']],
  ['a positive number', (value) => value > 0, ['fetchTimeoutMs', 'acquireTimeoutMs', 'lock.ttlMs', 'lock.pollMinMs', 'lock.pollMaxMs', 'lock.maxWaitMs']],
];

/** Merges defaults and checks every option, naming the option (never its value) on failure. */
export function resolveOptions<T extends TokenLike>(options: TokenManagerOptions<T>): ResolvedOptions {
  if (typeof options?.fetchToken !== 'function') throw invalid('"fetchToken" must be a function');
  const { store, storeKey, initialState: initial, onTokenEvent } = options;
  if ((store === undefined) !== (storeKey === undefined)) throw invalid('"store" and "storeKey" must be given together');
  if (store !== undefined) kitOf(store);
  const thenable = typeof (storeKey as { then?: unknown } | null)?.then === 'function';
  if (storeKey !== undefined && !thenable && (typeof storeKey !== 'string' || storeKey === '')) throw invalid('"storeKey" must be a non-empty string');
  if (initial !== undefined && (typeof initial?.value?.token !== 'string' || !Number.isFinite(initial.obtainedAt))) {
    throw invalid('"initialState" must be a state from exportState()');
  }
  if (onTokenEvent !== undefined && typeof onTokenEvent !== 'function') throw invalid('"onTokenEvent" must be a function');
  const defaults = DEFAULT_TOKEN_MANAGER_OPTIONS;
  const retry = { ...defaults.retry, ...withoutUndefined(options.retry) };
  const lock = { ...defaults.lock, ...withoutUndefined(options.lock) };
  const fetchTimeoutMs = options.fetchTimeoutMs ?? defaults.fetchTimeoutMs;
  // An explicit attempt timeout longer than the default bound still gets its one attempt.
  const acquireTimeoutMs = options.acquireTimeoutMs ?? Math.max(defaults.acquireTimeoutMs, fetchTimeoutMs);
  const resolved: ResolvedOptions = {
    fetchTimeoutMs,
    acquireTimeoutMs,
    refreshJitterRatio: options.refreshJitterRatio ?? defaults.refreshJitterRatio,
    refreshMarginMs: options.refreshMarginMs,
    forcedRefreshWindowMs: options.forcedRefreshWindowMs ?? defaults.forcedRefreshWindowMs,
    retry,
    lock: {
      ...lock,
      maxWaitMs:
        lock.maxWaitMs ??
        Math.min(acquireTimeoutMs, fetchTimeoutMs * retry.maxAttempts + (retry.maxDelayMs + retry.baseDelayMs) * (retry.maxAttempts - 1)) + lock.ttlMs,
    },
  };
  for (const [mustBe, holds, paths] of NUMBER_RULES) {
    for (const path of paths) {
      const value: unknown = path.split('.').reduce<unknown>((section, name) => (section as Record<string, unknown>)[name], resolved);
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || !holds(value))) throw invalid(`"${path}" must be ${mustBe}`);
    }
  }
  return resolved;
}

function invalid(message: string): InvalidArgumentError {
  return new InvalidArgumentError(40003, message);
}

/** The options a provider hands its TokenManager as the user gave them. */
const PASSED_THROUGH = ['lock', 'refreshMarginMs', 'forcedRefreshWindowMs', 'fetchTimeoutMs', 'acquireTimeoutMs', 'onTokenEvent', 'onAuthError', 'logger'] as const;
type PassedThrough = (typeof PASSED_THROUGH)[number];

/**
 * {@link PASSED_THROUGH} from a provider's options, picked by name, never spread, so no other option
 * (a secret, the fetch) reaches the manager; an absent one is `undefined`, which the manager takes as absent.
 */
export function passedThrough<O extends Partial<Record<PassedThrough, unknown>>>(options: O): Pick<O, PassedThrough & keyof O> {
  return Object.fromEntries(PASSED_THROUGH.map((name) => [name, options[name]])) as Pick<O, PassedThrough & keyof O>;
}
