import type { Middleware } from 'openapi-fetch';
import { createMetquayApi, type MetquayApi } from './api';
import { MetquayAuth, secretsOf } from './auth';
import { DEFAULT_METQUAY_AUTH_OPTIONS, type MetquayAuthOptions } from './options';
import { paginateRedacting, type MetquayListItem, type MetquayListPath, type PaginateOptions } from './paginate';
import { createRetryAfterMiddleware } from './rate-limit-middleware';

/** Options of {@link createMetquayClient}: auth options plus client ones. */
export interface MetquayClientOptions extends MetquayAuthOptions {
  /** Your middleware; runs before auth, so it never sees the Authorization header. */
  middleware?: readonly Middleware[] | undefined;
  /** Headers sent with every request. */
  headers?: Record<string, string> | undefined;
}

/** A typed Metquay client with auth attached, its {@link MetquayAuth}, and list paging. */
export type MetquayClient = MetquayApi & {
  /** The auth behind the client: `getToken()`, `authenticate()`. */
  readonly auth: MetquayAuth;
  /** Walks a list with `first`/`limit` until a short page; see `paginate`. Server messages quoted in its errors are scrubbed of the secret key and token. */
  paginate<P extends MetquayListPath>(path: P, options?: PaginateOptions): AsyncGenerator<MetquayListItem<P>, void, undefined>;
};

/**
 * A typed openapi-fetch client of the Metquay-style API that authenticates by itself: the first
 * protected call fetches a token, later calls reuse it until just before it expires, a 401
 * re-authenticates once and retries, a 429 waits out `Retry-After` (bounded) and retries.
 *
 * @example
 * ```ts
 * const mq = createMetquayClient({ baseUrl: 'https://example.com/api/v1', accessKey, secretKey });
 * const { data } = await mq.GET('/customers', { params: { query: { limit: 10 } } });
 * for await (const customer of mq.paginate('/customers', { limit: 50 })) console.log(customer.name);
 * ```
 */
export function createMetquayClient(options: MetquayClientOptions = {}): MetquayClient {
  const auth = new MetquayAuth(options);
  const rateLimit = createRetryAfterMiddleware({
    maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_METQUAY_AUTH_OPTIONS.maxRetryAfterMs,
    maxRetries: options.maxRateLimitRetries ?? DEFAULT_METQUAY_AUTH_OPTIONS.maxRateLimitRetries,
  });
  // Auth last, as the middleware docs say: it signs the final request and takes the one copy
  // both retries (its own after a 401, the 429 one) re-send; the 429 retry sees the final answer.
  const api = createMetquayApi({
    baseUrl: auth.baseUrl,
    // createApiClient registers core's bounded error-body reader before these.
    middleware: [...(options.middleware ?? []), rateLimit, auth.middleware],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  return Object.assign(api, {
    auth,
    paginate: <P extends MetquayListPath>(path: P, pageOptions?: PaginateOptions) => paginateRedacting(api, path, pageOptions ?? {}, () => secretsOf(auth)),
  });
}
