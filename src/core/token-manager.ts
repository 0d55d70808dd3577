import { PrintsSafely } from './printable';
import { SystemClock, type Clock } from './clock';
import { TimeoutError, TokensmithError } from './errors';
import { isAuthFailure, typedFetchFailure } from './fetch-failure';
import { createRedactingLogger, type Logger } from './logger';
import { retryDelayMs, sleep } from './retry';
import type { TokenLike, TokenState } from './store';
import { kitOf } from './store-key';
import { withTimeout } from './timeout';
import { monotonicMs, type TokenEvent, type TokenEventType } from './telemetry';
import { toEntry, toState, type Entry } from './token-entry';
import { resolveOptions, type ResolvedOptions, type TokenManagerOptions } from './token-manager-options';

export { DEFAULT_TOKEN_MANAGER_OPTIONS } from './token-manager-options';
export type { FetchContext, LockOptions, ProviderTokenOptions, TokenManagerOptions } from './token-manager-options';

/**
 * Caches one credential's token, fetches it once however many callers ask, refreshes it ahead of
 * expiry in the background, and retries transient failures.
 *
 * - Valid token: returned at once; no store, no allocation beyond the promise (`peek()`: none).
 * - Inside the refresh window: still returned at once, while exactly one background refresh runs.
 * - Inside the forced-refresh window (the last `forcedRefreshWindowMs` before expiry), absent,
 *   expired or `force`: every caller waits on the single in-flight fetch (which a `force` joins
 *   rather than duplicates), so a token is never sent at the edge of its life; a failure rejects
 *   all of them with the same typed error and the next call tries again.
 * - {@link TokenManager.stop}: a replaced manager starts no refresh, retry or store write again.
 *
 * Printing it (`console.log`, `util.inspect`, `JSON.stringify`) shows whether it holds a token and
 * until when, never the token or a secret.
 *
 * @example
 * ```ts
 * const manager = new TokenManager({
 *   fetchToken: async (signal, { sentAt }) => {
 *     const res = await fetch(url, { method: 'POST', body, signal });
 *     const { accessToken, expiresIn } = await res.json();
 *     return { token: accessToken, expiresAt: sentAt + expiresIn * 1000 };
 *   },
 * });
 * const { token } = await manager.getToken();
 * ```
 */
export class TokenManager<T extends TokenLike> extends PrintsSafely {
  /** The clock tokens are measured against; call `clock.setOffset()` once server time is known. */
  readonly clock: Clock;
  readonly #core: ManagerCore<T>;

  constructor(options: TokenManagerOptions<T>) {
    super();
    const resolved = resolveOptions(options);
    this.clock = options.clock ?? new SystemClock();
    this.#core = managerCore(options, resolved, this.clock);
  }

  /**
   * The cached token while usable; otherwise waits for the shared fetch. Inside the refresh window
   * it also starts the background refresh. `force` skips the cache.
   */
  getToken(options?: { force?: boolean }): Promise<T> {
    return this.#core.getToken(options);
  }

  /**
   * The cached token if still usable (not within `forcedRefreshWindowMs` of expiry),
   * synchronously; `undefined` otherwise. Starts the background refresh when inside the refresh
   * window, so a hot path that only peeks still renews. Allocates nothing.
   */
  peek(): T | undefined {
    return this.#core.peek();
  }

  /**
   * Drops `token` if it is still the current one (say, after the server rejected it) and returns
   * true; returns false for any other token, so a late rejection of an old token cannot discard
   * a fresh one.
   */
  invalidate(token: string): boolean {
    return this.#core.invalidate(token);
  }

  /** The current token's state, if still valid, for `initialState` of a later process. */
  exportState(): TokenState<T> | undefined {
    return this.#core.exportState();
  }

  /**
   * The token this manager obtained most recently, even if it has since expired or been
   * invalidated: for reading what it was issued for (an Ably clientId), never for sending.
   */
  lastObtained(): T | undefined {
    return this.#core.lastObtained();
  }

  /**
   * Stops this manager for good, when a new configuration replaces it: no background refresh or
   * retry is started and nothing is written to the store from now on. A fetch already in flight
   * still settles for its callers; later `getToken()` calls still work, without retries.
   */
  stop(): void {
    this.#core.stop();
  }

  /** True once {@link TokenManager.stop} was called. */
  get stopped(): boolean {
    return this.#core.stopped();
  }

  /** Public facts only: whether a token is held and until when; never the token. */
  toJSON(): { hasToken: boolean; expiresAt?: number; stopped: boolean } {
    return this.#core.toJSON();
  }

  /** `TokenManager {"hasToken":…}`: what {@link TokenManager.toJSON} shows. */
  override toString(): string {
    return `TokenManager ${JSON.stringify(this.toJSON())}`;
  }
}

/** What {@link TokenManager} delegates to; `stopped` is a function so it reads the live state. */
type ManagerCore<T extends TokenLike> = Omit<TokenManager<T>, 'clock' | 'stopped' | 'toString'> & { stopped(): boolean };

/**
 * The manager's state and logic, as closures rather than #private fields (each `this.#x` read
 * costs 7 bytes minified, a closure variable 1); {@link TokenManager} keeps the public class.
 */
function managerCore<T extends TokenLike>(options: TokenManagerOptions<T>, resolved: ResolvedOptions, clock: Clock): ManagerCore<T> {
  /** The resolved options and the jitter source; {@link toEntry} reads the refresh window from them. */
  const settings: ResolvedOptions & { random: () => number } = { ...resolved, random: options.random ?? Math.random };
  const { fetchToken, onAuthError, onTokenEvent: onEvent } = options;
  const secrets: readonly string[] = [...(options.secrets ?? [])];
  const provider = options.provider ?? 'custom';
  let current: Entry<T> | undefined;
  let latest: T | undefined;
  let inflight: Promise<Entry<T>> | undefined;
  let lastSeq = 0;
  /** The token being replaced by the in-flight fetch, if any; a stored copy of it is not reused. */
  let replacing: Entry<T> | undefined;
  /** The last token invalidated; never taken back from the store. */
  let rejected: string | undefined;
  let refreshPausedUntil = -Infinity;
  let stopped = false;

  const now = (): number => clock.now();
  const scrubbed = (): (string | undefined)[] => [...secrets, current?.state.value.token, rejected];
  const log: Logger = createRedactingLogger(options.logger, scrubbed);
  const entryOf = (state: TokenState<T>, seq: number): Entry<T> => toEntry(state, seq, settings);

  /**
   * Tells the listener, if any; a listener that throws is logged, never allowed to fail the token
   * path. `rest` is the outcome (and attempts or lock); `ok` when left out.
   */
  const emit = (type: TokenEventType, durationMs: number, rest: EventRest = OK): void => {
    if (onEvent === undefined) return;
    try {
      onEvent({ provider, type, durationMs, ...rest });
    } catch (err) {
      log.warn({ err }, 'onTokenEvent listener threw; ignored');
    }
  };

  const acceptStored = (state: TokenState<T>): boolean => {
    const expiresAt = state.expiresAt ?? Infinity;
    if (state.value.token === rejected || now() >= entryOf(state, 0).usableUntil) return false;
    const old = replacing;
    return old === undefined || (state.value.token !== old.state.value.token && expiresAt >= old.expiresAt);
  };

  const final = (error: TokensmithError, attempts: number, durationMs: number): TokensmithError => {
    log.error({ err: error, attempts }, 'token fetch failed');
    emit('failed', durationMs, { attempts, ...outcomeOf(error) });
    if (onAuthError && isAuthFailure(error)) {
      try {
        onAuthError(error);
      } catch (hookError) {
        log.error({ err: hookError }, 'onAuthError hook threw');
      }
    }
    return error;
  };

  const attempts = async (signal: AbortSignal, startedAt: number, progress: { attempts: number }): Promise<TokenState<T>> => {
    const { retry, fetchTimeoutMs, acquireTimeoutMs } = settings;
    for (let attempt = 0; ; attempt++) {
      progress.attempts = attempt + 1;
      const sentAt = now();
      const attemptStartedAt = monotonicMs();
      let value: T;
      try {
        value = await withTimeout((inner) => fetchToken(inner, { sentAt }), fetchTimeoutMs, 'fetchToken', { outer: signal });
      } catch (caught) {
        if (signal.aborted) throw signal.reason;
        const error = typedFetchFailure(caught, scrubbed());
        const delayMs = stopped ? undefined : retryDelayMs(error, attempt, retry, settings.random);
        if (delayMs === undefined || monotonicMs() + delayMs - startedAt >= acquireTimeoutMs) throw error;
        emit('retried', monotonicMs() - attemptStartedAt, { attempts: attempt + 1, ...outcomeOf(error) });
        log.warn({ err: error, attempt: attempt + 1, delayMs }, 'token fetch failed; retrying');
        await sleep(delayMs);
        if (signal.aborted) throw signal.reason;
        continue;
      }
      return toState(value, sentAt, now());
    }
  };

  /**
   * Every attempt, with backoff between them, inside one deadline (`acquireTimeoutMs`): past it the
   * attempt in flight is aborted and the fetch fails with a {@link TimeoutError} 50003; a retry
   * whose wait would end past it is not waited for (the attempt's own error is thrown at once).
   */
  const fetchWithRetry = async (): Promise<TokenState<T>> => {
    const startedAt = monotonicMs();
    const progress = { attempts: 0 };
    try {
      return await withTimeout((signal) => attempts(signal, startedAt, progress), settings.acquireTimeoutMs, 'token fetch', {
        timeoutError: (what, ms) =>
          new TimeoutError(`${what} did not complete within ${ms} ms (acquireTimeoutMs), after ${progress.attempts} attempt(s); the endpoint may be hung`),
      });
    } catch (caught) {
      const error = caught instanceof TokensmithError ? caught : typedFetchFailure(caught, scrubbed());
      throw final(error, progress.attempts, monotonicMs() - startedAt);
    }
  };

  /** Gets a token through the shared store, when one is configured. */
  const viaStore: (() => Promise<TokenState<T>>) | undefined =
    options.store && options.storeKey
      ? kitOf(options.store).share<T>({
          store: options.store,
          key: options.storeKey,
          lock: settings.lock,
          log,
          now,
          fetch: fetchWithRetry,
          accept: acceptStored,
          active: () => !stopped,
          waited: (durationMs, lock) => emit('lock-waited', durationMs, { outcome: 'ok', lock }),
        })
      : undefined;

  const acquire = async (seq: number, background: boolean): Promise<Entry<T>> => {
    const startedAt = monotonicMs();
    let state: TokenState<T>;
    try {
      state = viaStore ? await viaStore() : await fetchWithRetry();
    } catch (error) {
      if (background) emit('renewed-ahead', monotonicMs() - startedAt, outcomeOf(error));
      throw error;
    }
    emit(background ? 'renewed-ahead' : 'obtained', monotonicMs() - startedAt);
    const entry = entryOf(state, seq);
    if (current === undefined || entry.seq >= current.seq) {
      current = entry;
      latest = state.value;
    }
    return entry;
  };

  const shared = (background = false): Promise<Entry<T>> => {
    if (inflight) return inflight;
    const seq = ++lastSeq;
    replacing = current;
    const run: Promise<Entry<T>> = acquire(seq, background).finally(() => {
      if (inflight === run) inflight = undefined;
    });
    inflight = run;
    return run;
  };

  const refreshInBackground = (): void => {
    log.debug({}, 'refreshing token ahead of expiry');
    shared(true).catch((err: unknown) => {
      refreshPausedUntil = now() + settings.retry.maxDelayMs;
      log.warn({ err }, 'background token refresh failed; serving the cached token until it expires');
    });
  };

  const peek = (): T | undefined => {
    const entry = current;
    if (entry === undefined) return undefined;
    const at = now();
    if (at >= entry.usableUntil) return undefined;
    if (at >= entry.refreshAt && inflight === undefined && at >= refreshPausedUntil && !stopped) refreshInBackground();
    if (onEvent !== undefined) emit('cached', 0);
    return entry.state.value;
  };

  if (options.initialState) {
    current = entryOf(options.initialState, 0);
    latest = options.initialState.value;
  }

  return {
    getToken(getOptions) {
      if (!getOptions?.force) {
        const value = peek();
        if (value !== undefined) return Promise.resolve(value);
      }
      return shared().then(entryValue);
    },
    peek,
    invalidate(token) {
      if (current?.state.value.token !== token) return false;
      current = undefined;
      rejected = token;
      log.debug({}, 'token invalidated');
      if (onEvent !== undefined) emit('rejected', 0);
      return true;
    },
    exportState() {
      const entry = current;
      return entry && now() < entry.expiresAt ? { ...entry.state } : undefined;
    },
    lastObtained: () => latest,
    stop() {
      stopped = true;
    },
    stopped: () => stopped,
    toJSON() {
      const entry = current;
      return {
        hasToken: entry !== undefined,
        ...(entry !== undefined && entry.expiresAt !== Infinity ? { expiresAt: entry.expiresAt } : {}),
        stopped,
      };
    },
  };
}

/** What an event carries besides provider, type and duration. */
type EventRest = Omit<TokenEvent, 'provider' | 'type' | 'durationMs'>;
const OK: EventRest = { outcome: 'ok' };

function outcomeOf(error: unknown): { outcome: 'error'; errorCode?: number; errorName?: string } {
  if (!(error instanceof Error)) return { outcome: 'error' };
  return { outcome: 'error', ...(error instanceof TokensmithError ? { errorCode: error.code } : {}), errorName: error.name };
}

function entryValue<T extends TokenLike>(entry: Entry<T>): T {
  return entry.state.value;
}
