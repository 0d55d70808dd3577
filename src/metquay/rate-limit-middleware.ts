import type { Middleware } from 'openapi-fetch';
import { parseRetryAfterMs } from '../core/retry-after';

const MAX_PENDING = 10_000;

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
 * a POST is safe. It never re-authenticates: register it after the auth middleware so the copy it
 * re-sends already carries the token.
 */
export function createRetryAfterMiddleware(options: RetryAfterMiddlewareOptions): Middleware {
  const defaultWaitMs = options.defaultRetryAfterMs ?? 1000;
  // Unsent copies of requests with a body, by call id: a body is consumed by the first send.
  // Bodiless requests (most calls) are copied only when a 429 arrives, so the hot path stores nothing.
  const pending = new Map<string, Request>();
  return {
    onRequest({ request, id }) {
      if (request.body === null) return undefined;
      // A call that never reaches onResponse (a later middleware answered) must not pin memory.
      if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string);
      pending.set(id, request.clone());
      return undefined;
    },
    onError({ id }) {
      pending.delete(id);
      return undefined;
    },
    async onResponse({ request, response, id, options: fetchOptions }) {
      let copy = pending.get(id);
      if (copy !== undefined) pending.delete(id);
      if (response.status !== 429) return undefined;
      if (copy === undefined && request.body === null) copy = new Request(request);
      if (copy === undefined) return undefined;
      let current = response;
      for (let attempt = 0; attempt < options.maxRetries && current.status === 429; attempt++) {
        const waitMs = parseRetryAfterMs(current.headers.get('retry-after')) ?? defaultWaitMs;
        if (waitMs > options.maxRetryAfterMs || copy.signal.aborted) break;
        await current.body?.cancel();
        await sleep(waitMs, copy.signal);
        current = await fetchOptions.fetch(copy.clone());
      }
      return current;
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
