/**
 * Token lifecycle events: what a {@link TokenManager} did and how long it took, for metrics and
 * traces. Events carry names and numbers only — never a token, a secret or a URL.
 */

/**
 * What happened:
 * - `obtained`: a caller's fetch produced a token (`durationMs`: every attempt and backoff).
 * - `cached`: a usable token was served from the cache (`durationMs` 0).
 * - `renewed-ahead`: a background refresh ahead of expiry finished, `ok` or `error`.
 * - `rejected`: a token the API refused was dropped; the request is retried with a renewed one.
 * - `retried`: one fetch attempt failed transiently and will be retried (`durationMs`: that attempt).
 * - `failed`: the fetch failed for good (`durationMs`: every attempt and backoff).
 * - `lock-waited`: this process waited on another's fleet fetch lock (`durationMs`: the wait;
 *   `lock`: how the wait ended).
 */
export type TokenEventType = 'obtained' | 'cached' | 'renewed-ahead' | 'rejected' | 'retried' | 'failed' | 'lock-waited';

/** One lifecycle event. Plain data: safe to log, export or keep. */
export interface TokenEvent {
  readonly type: TokenEventType;
  /** The provider the manager fetches from: `ably`, `metquay`, or the manager's `provider` option. */
  readonly provider: string;
  /** Milliseconds the step took (monotonic clock). */
  readonly durationMs: number;
  /** `ok`, or `error` for a failed attempt, a failed fetch or a failed background refresh. */
  readonly outcome: 'ok' | 'error';
  /** Attempts made so far (fetch events). */
  readonly attempts?: number;
  /** The error's code when `outcome` is `error` (e.g. 80000, 40101). */
  readonly errorCode?: number;
  /** The error's class name when `outcome` is `error` (e.g. `TransportError`). */
  readonly errorName?: string;
  /** How a `lock-waited` ended: the token landed in the store, this process took the lock, or it gave up waiting and fetched. */
  readonly lock?: 'token-landed' | 'lock-taken' | 'gave-up';
}

/**
 * Hears {@link TokenEvent}s. Called synchronously on the token path: keep it cheap (count, record,
 * queue). A listener that throws is logged and ignored; it never fails a token fetch.
 */
export type TokenEventListener = (event: TokenEvent) => void;

/** A monotonic clock in ms (fakeable in tests: jest's modern timers fake `performance`). */
export function monotonicMs(): number {
  return globalThis.performance?.now() ?? Date.now();
}
