import { RateLimitError, ServerError, TokensmithError, TransportError } from './errors';

/**
 * Bounded exponential backoff with full jitter for transient token-fetch failures.
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */

/** How a failed token fetch is retried. */
export interface RetryOptions {
  /** Attempts in total, the first included; `1` disables retries. */
  maxAttempts: number;
  /** Cap of the first backoff; attempt `n` (from 0) waits a random time in `[0, min(maxDelayMs, baseDelayMs·2^n))`. */
  baseDelayMs: number;
  /**
   * Upper bound of any backoff. A `Retry-After` longer than this is not waited out: the
   * {@link RateLimitError} is thrown at once so the caller can decide.
   */
  maxDelayMs: number;
}

/** Defaults merged under {@link RetryOptions}. */
export const DEFAULT_RETRY_OPTIONS: Readonly<RetryOptions> = /* @__PURE__ */ Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
});

/**
 * True for failures worth retrying: a {@link TransportError} (network failure, timeout), a
 * `TypeError` (what `fetch` throws on a network failure), and a {@link TokensmithError} whose
 * `statusCode` is 429 or 5xx. Anything else (notably 4xx auth failures) is final.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransportError || error instanceof TypeError || error instanceof RateLimitError) return true;
  if (error instanceof TokensmithError) return error.statusCode === 429 || error.statusCode >= 500;
  return false;
}

/** Full-jitter backoff before retry number `attempt` (0 for the first retry). */
export function backoffDelayMs(attempt: number, options: RetryOptions, random: () => number): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

/**
 * The wait before retrying after `error`, or `undefined` when it must not be retried: not
 * transient, attempts used up, or a `Retry-After` (a 429's or a 503's) beyond `maxDelayMs`. A `Retry-After` is honoured
 * as a floor with up to `baseDelayMs` of jitter on top, so a fleet told to wait does not return in
 * step.
 */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  options: RetryOptions,
  random: () => number,
): number | undefined {
  if (attempt + 1 >= options.maxAttempts || !isTransient(error)) return undefined;
  const retryAfterMs = error instanceof RateLimitError || error instanceof ServerError ? error.retryAfterMs : undefined;
  if (retryAfterMs === undefined) return backoffDelayMs(attempt, options, random);
  if (retryAfterMs > options.maxDelayMs) return undefined;
  return retryAfterMs + Math.floor(random() * options.baseDelayMs);
}

/** Resolves after `ms` on the (fakeable) global timer; at once, without a timer, for `ms` ≤ 0. */
export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}
