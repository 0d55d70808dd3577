import { TimeoutError } from './errors';

/**
 * Runs `task` with an AbortSignal that fires after `timeoutMs`, and rejects with a
 * {@link TimeoutError} `50003` at that moment even if the task ignores its signal.
 * Uses the global `setTimeout`, so fake timers drive it in tests.
 */
export function withTimeout<T>(task: (signal: AbortSignal) => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TimeoutError(`${what} timed out after ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const running = Promise.resolve().then(() => task(controller.signal));
  // The loser of the race must not become an unhandled rejection.
  running.catch(() => {});
  return Promise.race([running, timedOut]).finally(() => clearTimeout(timer));
}
