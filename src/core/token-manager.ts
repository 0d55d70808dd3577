import { PrintsSafely } from './printable';
import { SystemClock, type Clock } from './clock';
import { TimeoutError, TokensmithError } from './errors';
import { isAuthFailure, typedFetchFailure } from './fetch-failure';
import { createRedactingLogger, type Logger } from './logger';
import { retryDelayMs, sleep } from './retry';
import type { TokenLike, TokenState } from './store';
import { kitOf } from './store-key';
import { withTimeout } from './timeout';
import { monotonicMs, type TokenEvent, type TokenEventListener } from './telemetry';
import { toEntry, toState, type Entry } from './token-entry';
import { resolveOptions, type ResolvedOptions, type TokenManagerOptions } from './token-manager-options';

export { DEFAULT_TOKEN_MANAGER_OPTIONS } from './token-manager-options';
export type { FetchContext, LockOptions, TokenManagerOptions } from './token-manager-options';

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
  /** The resolved options and the jitter source; {@link toEntry} reads the refresh window from them. */
  readonly #options: ResolvedOptions & { random: () => number };
  readonly #fetchToken: TokenManagerOptions<T>['fetchToken'];
  readonly #onAuthError: ((error: TokensmithError) => void) | undefined;
  readonly #secrets: readonly string[];
  readonly #log: Logger;
  /** Gets a token through the shared store, when one is configured. */
  readonly #viaStore: (() => Promise<TokenState<T>>) | undefined;
  readonly #provider: string;
  readonly #onEvent: TokenEventListener | undefined;
  #current: Entry<T> | undefined;
  #latest: T | undefined;
  #inflight: Promise<Entry<T>> | undefined;
  #seq = 0;
  /** The token being replaced by the in-flight fetch, if any; a stored copy of it is not reused. */
  #replacing: Entry<T> | undefined;
  /** The last token invalidated; never taken back from the store. */
  #rejected: string | undefined;
  #refreshPausedUntil = -Infinity;
  #stopped = false;

  constructor(options: TokenManagerOptions<T>) {
    super();
    this.#options = { ...resolveOptions(options), random: options.random ?? Math.random };
    this.#fetchToken = options.fetchToken;
    this.#onAuthError = options.onAuthError;
    this.#secrets = [...(options.secrets ?? [])];
    this.#provider = options.provider ?? 'custom';
    this.#onEvent = options.onTokenEvent;
    this.clock = options.clock ?? new SystemClock();
    this.#log = createRedactingLogger(options.logger, () => this.#scrubbed());
    if (options.store && options.storeKey) {
      this.#viaStore = kitOf(options.store).share<T>({
        store: options.store,
        key: options.storeKey,
        lock: this.#options.lock,
        log: this.#log,
        now: () => this.clock.now(),
        fetch: () => this.#fetchWithRetry(),
        accept: (state) => this.#acceptStored(state),
        active: () => !this.#stopped,
        waited: (durationMs, lock) => this.#emit({ type: 'lock-waited', durationMs, outcome: 'ok', lock }),
      });
    }
    if (options.initialState) {
      this.#current = this.#entry(options.initialState, 0);
      this.#latest = options.initialState.value;
    }
  }

  /**
   * The cached token while usable; otherwise waits for the shared fetch. Inside the refresh window
   * it also starts the background refresh. `force` skips the cache.
   */
  getToken(options?: { force?: boolean }): Promise<T> {
    if (!options?.force) {
      const value = this.peek();
      if (value !== undefined) return Promise.resolve(value);
    }
    return this.#shared().then(entryValue);
  }

  /**
   * The cached token if still usable (not within `forcedRefreshWindowMs` of expiry),
   * synchronously; `undefined` otherwise. Starts the background refresh when inside the refresh
   * window, so a hot path that only peeks still renews. Allocates nothing.
   */
  peek(): T | undefined {
    const entry = this.#current;
    if (entry === undefined) return undefined;
    const now = this.clock.now();
    if (now >= entry.usableUntil) return undefined;
    if (now >= entry.refreshAt && this.#inflight === undefined && now >= this.#refreshPausedUntil && !this.#stopped) {
      this.#refreshInBackground();
    }
    if (this.#onEvent !== undefined) this.#emit({ type: 'cached', durationMs: 0, outcome: 'ok' });
    return entry.state.value;
  }

  /**
   * Drops `token` if it is still the current one (say, after the server rejected it) and returns
   * true; returns false for any other token, so a late rejection of an old token cannot discard
   * a fresh one.
   */
  invalidate(token: string): boolean {
    if (this.#current?.state.value.token !== token) return false;
    this.#current = undefined;
    this.#rejected = token;
    this.#log.debug({}, 'token invalidated');
    if (this.#onEvent !== undefined) this.#emit({ type: 'rejected', durationMs: 0, outcome: 'ok' });
    return true;
  }

  /** The current token's state, if still valid, for `initialState` of a later process. */
  exportState(): TokenState<T> | undefined {
    const entry = this.#current;
    return entry && this.clock.now() < entry.expiresAt ? { ...entry.state } : undefined;
  }

  /**
   * The token this manager obtained most recently, even if it has since expired or been
   * invalidated: for reading what it was issued for (an Ably clientId), never for sending.
   */
  lastObtained(): T | undefined {
    return this.#latest;
  }

  /**
   * Stops this manager for good, when a new configuration replaces it: no background refresh or
   * retry is started and nothing is written to the store from now on. A fetch already in flight
   * still settles for its callers; later `getToken()` calls still work, without retries.
   */
  stop(): void {
    this.#stopped = true;
  }

  /** True once {@link TokenManager.stop} was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Public facts only: whether a token is held and until when; never the token. */
  toJSON(): { hasToken: boolean; expiresAt?: number; stopped: boolean } {
    const entry = this.#current;
    return {
      hasToken: entry !== undefined,
      ...(entry !== undefined && entry.expiresAt !== Infinity ? { expiresAt: entry.expiresAt } : {}),
      stopped: this.#stopped,
    };
  }

  /** `TokenManager {"hasToken":…}`: what {@link TokenManager.toJSON} shows. */
  override toString(): string {
    return `TokenManager ${JSON.stringify(this.toJSON())}`;
  }


  #shared(background = false): Promise<Entry<T>> {
    if (this.#inflight) return this.#inflight;
    const seq = ++this.#seq;
    this.#replacing = this.#current;
    const run: Promise<Entry<T>> = this.#acquire(seq, background).finally(() => {
      if (this.#inflight === run) this.#inflight = undefined;
    });
    this.#inflight = run;
    return run;
  }

  async #acquire(seq: number, background: boolean): Promise<Entry<T>> {
    const startedAt = monotonicMs();
    let state: TokenState<T>;
    try {
      state = this.#viaStore ? await this.#viaStore() : await this.#fetchWithRetry();
    } catch (error) {
      if (background) this.#emit({ type: 'renewed-ahead', durationMs: monotonicMs() - startedAt, ...outcomeOf(error) });
      throw error;
    }
    this.#emit({ type: background ? 'renewed-ahead' : 'obtained', durationMs: monotonicMs() - startedAt, outcome: 'ok' });
    const entry = this.#entry(state, seq);
    if (this.#current === undefined || entry.seq >= this.#current.seq) {
      this.#current = entry;
      this.#latest = state.value;
    }
    return entry;
  }

  #refreshInBackground(): void {
    this.#log.debug({}, 'refreshing token ahead of expiry');
    this.#shared(true).catch((err: unknown) => {
      this.#refreshPausedUntil = this.clock.now() + this.#options.retry.maxDelayMs;
      this.#log.warn({ err }, 'background token refresh failed; serving the cached token until it expires');
    });
  }

  /**
   * Every attempt, with backoff between them, inside one deadline (`acquireTimeoutMs`): past it the
   * attempt in flight is aborted and the fetch fails with a {@link TimeoutError} 50003; a retry
   * whose wait would end past it is not waited for (the attempt's own error is thrown at once).
   */
  async #fetchWithRetry(): Promise<TokenState<T>> {
    const { acquireTimeoutMs } = this.#options;
    const startedAt = monotonicMs();
    const progress = { attempts: 0 };
    try {
      return await withTimeout((signal) => this.#attempts(signal, startedAt, progress), acquireTimeoutMs, 'token fetch', {
        timeoutError: (what, ms) =>
          new TimeoutError(`${what} did not complete within ${ms} ms (acquireTimeoutMs), after ${progress.attempts} attempt(s); the endpoint may be hung`),
      });
    } catch (caught) {
      const error = caught instanceof TokensmithError ? caught : typedFetchFailure(caught, this.#scrubbed());
      throw this.#final(error, progress.attempts, monotonicMs() - startedAt);
    }
  }

  async #attempts(signal: AbortSignal, startedAt: number, progress: { attempts: number }): Promise<TokenState<T>> {
    const { retry, fetchTimeoutMs, acquireTimeoutMs } = this.#options;
    for (let attempt = 0; ; attempt++) {
      progress.attempts = attempt + 1;
      const sentAt = this.clock.now();
      const attemptStartedAt = monotonicMs();
      let value: T;
      try {
        value = await withTimeout((inner) => this.#fetchToken(inner, { sentAt }), fetchTimeoutMs, 'fetchToken', { outer: signal });
      } catch (caught) {
        if (signal.aborted) throw signal.reason;
        const error = typedFetchFailure(caught, this.#scrubbed());
        const delayMs = this.#stopped ? undefined : retryDelayMs(error, attempt, retry, this.#options.random);
        if (delayMs === undefined || monotonicMs() + delayMs - startedAt >= acquireTimeoutMs) throw error;
        this.#emit({ type: 'retried', durationMs: monotonicMs() - attemptStartedAt, attempts: attempt + 1, ...outcomeOf(error) });
        this.#log.warn({ err: error, attempt: attempt + 1, delayMs }, 'token fetch failed; retrying');
        await sleep(delayMs);
        if (signal.aborted) throw signal.reason;
        continue;
      }
      return toState(value, sentAt, this.clock.now());
    }
  }

  #scrubbed(): (string | undefined)[] {
    return [...this.#secrets, this.#current?.state.value.token, this.#rejected];
  }

  #final(error: TokensmithError, attempts: number, durationMs: number): TokensmithError {
    this.#log.error({ err: error, attempts }, 'token fetch failed');
    this.#emit({ type: 'failed', durationMs, attempts, ...outcomeOf(error) });
    if (this.#onAuthError && isAuthFailure(error)) {
      try {
        this.#onAuthError(error);
      } catch (hookError) {
        this.#log.error({ err: hookError }, 'onAuthError hook threw');
      }
    }
    return error;
  }

  /** Tells the listener, if any; a listener that throws is logged, never allowed to fail the token path. */
  #emit(event: Omit<TokenEvent, 'provider'>): void {
    const listener = this.#onEvent;
    if (listener === undefined) return;
    try {
      listener({ provider: this.#provider, ...event });
    } catch (err) {
      this.#log.warn({ err }, 'onTokenEvent listener threw; ignored');
    }
  }

  #acceptStored(state: TokenState<T>): boolean {
    const expiresAt = state.expiresAt ?? Infinity;
    if (state.value.token === this.#rejected || this.clock.now() >= this.#entry(state, 0).usableUntil) return false;
    const old = this.#replacing;
    return old === undefined || (state.value.token !== old.state.value.token && expiresAt >= old.expiresAt);
  }

  #entry(state: TokenState<T>, seq: number): Entry<T> {
    return toEntry(state, seq, this.#options);
  }
}

function outcomeOf(error: unknown): { outcome: 'error'; errorCode?: number; errorName?: string } {
  if (!(error instanceof Error)) return { outcome: 'error' };
  return { outcome: 'error', ...(error instanceof TokensmithError ? { errorCode: error.code } : {}), errorName: error.name };
}

function entryValue<T extends TokenLike>(entry: Entry<T>): T {
  return entry.state.value;
}
