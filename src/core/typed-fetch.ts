import { TimeoutError, TokensmithError } from './errors';
import { networkFailure, safeUrl } from './http';

/**
 * A `fetch` whose failures are typed, for API calls: a network failure rejects with a
 * {@link TransportError} 80000 naming the system error and where (`API request: network error:
 * ECONNREFUSED 127.0.0.1:9 (GET http://127.0.0.1:9/time)`, query dropped) with fetch's error as
 * `cause`; a request whose signal timed out (`AbortSignal.timeout()`) a {@link TimeoutError}
 * 50003. A `TokensmithError` (a token failure from a custom fetch) passes as it is, and so does a
 * caller's own abort: that is the caller's decision, not a failure.
 *
 * `createApiClient` wraps the client's fetch with it, so every auth path — Basic, bearer, none —
 * fails the same way.
 */
export function typedFetch(fetchImpl: typeof globalThis.fetch | undefined): typeof globalThis.fetch {
  return async function fetchTyped(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    try {
      return await (fetchImpl ?? globalThis.fetch)(input, init);
    } catch (error) {
      if (error instanceof TokensmithError) throw error;
      const request = typeof input === 'object' && 'method' in input ? input : undefined;
      const signal = init?.signal ?? request?.signal;
      const where = `${init?.method ?? request?.method ?? 'GET'} ${safeUrl(request ? request.url : String(input))}`;
      if (signal?.aborted) {
        const reason: unknown = signal.reason;
        if (reason instanceof TokensmithError) throw reason;
        if ((reason as { name?: unknown } | undefined)?.name === 'TimeoutError') {
          throw new TimeoutError(`API request timed out (its signal's timeout) (${where})`, { cause: reason });
        }
        throw reason ?? error;
      }
      throw networkFailure(error, 'API request', where, []);
    }
  };
}
