import { TimeoutError, type TokensmithError } from './errors';

/** Options of {@link withTimeout}. */
export interface TimeoutOptions {
  /** A caller's signal: when it aborts, the task's signal aborts too and the call rejects with its reason. */
  outer?: AbortSignal;
  /** The error for a timeout; a {@link TimeoutError} 50003 by default. */
  timeoutError?: (what: string, timeoutMs: number) => TokensmithError;
}

/**
 * Runs `task` with an AbortSignal that fires after `timeoutMs` (or when `outer` aborts), and
 * rejects at that moment even if the task ignores its signal: with a {@link TimeoutError} `50003`
 * (or `timeoutError`'s), or the outer signal's reason. Uses the global `setTimeout`, so fake
 * timers drive it in tests.
 */
export function withTimeout<T>(task: (signal: AbortSignal) => Promise<T>, timeoutMs: number, what: string, options?: TimeoutOptions): Promise<T> {
  const outer = options?.outer;
  if (outer?.aborted) return Promise.reject(outer.reason);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    const stop = (reason: unknown) => {
      controller.abort(reason);
      reject(reason);
    };
    timer = setTimeout(() => stop(options?.timeoutError?.(what, timeoutMs) ?? new TimeoutError(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    if (outer) outer.addEventListener('abort', (onAbort = () => stop(outer.reason)), { once: true });
  });
  const running = Promise.resolve().then(() => task(controller.signal));
  // The loser of the race must not become an unhandled rejection.
  running.catch(() => {});
  return Promise.race([running, stopped]).finally(() => {
    clearTimeout(timer);
    if (onAbort) outer?.removeEventListener('abort', onAbort);
  });
}
