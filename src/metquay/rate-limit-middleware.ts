import type { Middleware } from 'openapi-fetch';
import { NOT_REPLAYABLE, replayOf } from '../core/replay';
import { parseRetryAfterMs } from '../core/retry-after';

/** Options of {@link createRetryAfterMiddleware}. */
export interface RetryAfterMiddlewareOptions {
  /** Longest `Retry-After` waited out, in ms; a 429 asking for longer is returned as is. */
  maxRetryAfterMs: number;
  /** Re-sends of one request after 429s. */
  maxRetries: number;
  /** Wait when a 429 carries no usable `Retry-After`, in ms. Default 1000. */
  defaultRetryAfterMs?: number;
}

/**
 * openapi-fetch middleware that waits out a 429's `Retry-After` (bounded) and sends the request
 * again, up to `maxRetries` times. A 429 means the request was not processed, so re-sending even
 * a POST is safe.
 *
 * It keeps no copy of its own: it re-sends a clone of the copy the auth middleware took before
 * the first send (core's replay), so nothing is cloned unless a 429 arrives, and a stream body is
 * never re-sent (the 429 is returned as is). Register it before the auth middleware, which goes
 * last: its `onResponse` then runs after auth's and sees the final answer.
 */
export function createRetryAfterMiddleware(options: RetryAfterMiddlewareOptions): Middleware {
  const defaultWaitMs = options.defaultRetryAfterMs ?? 1000;
  return {
    async onResponse({ request, response, options: fetchOptions }) {
      if (response.status !== 429) return undefined;
      let current = response;
      for (let attempt = 0; attempt < options.maxRetries && current.status === 429; attempt++) {
        const waitMs = parseRetryAfterMs(current.headers.get('retry-after')) ?? defaultWaitMs;
        if (waitMs > options.maxRetryAfterMs || request.signal.aborted) break;
        const copy = replayOf(request);
        if (copy === undefined || copy === NOT_REPLAYABLE) break;
        await current.body?.cancel();
        await sleep(waitMs, request.signal);
        current = await fetchOptions.fetch(copy);
      }
      return current === response ? undefined : current;
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
