import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ReplayableRequest } from './replay';
import { boundedErrorBodies } from './response-error';
import { typedFetch } from './typed-fetch';
import { checkHttpUrl } from './url';

/** Options shared by the typed API clients. */
export interface ApiClientOptions {
  /**
   * Base URL of the API (absolute http(s); checked when the client is built, 40003); defaults
   * (also when `undefined`, e.g. an unset variable) to the spec's first server.
   */
  baseUrl?: string | undefined;
  /** A `fetch` to send requests with (tests, proxies, instrumentation). Defaults to the global one. */
  fetch?: typeof globalThis.fetch | undefined;
  /** openapi-fetch middleware, registered in this order. */
  middleware?: readonly Middleware[] | undefined;
  /** Headers sent with every request. */
  headers?: Record<string, string> | undefined;
}

/**
 * An openapi-fetch client for the given `paths` with the spec's default base URL and the
 * middleware registered, building requests with {@link ReplayableRequest}. The typed `createAblyApi`/`createMetquayApi` are this with their types.
 *
 * Everything that is not an API answer fails as a `TokensmithError`: the fetch is wrapped so a
 * network failure is a `TransportError` 80000 (fetch's error as `cause`) and a signal's timeout a
 * `TimeoutError` 50003, whatever the auth; a bad `baseUrl` is refused here (40003). An error
 * answer's body is read at most 64 KiB (a longer one is dropped, status and headers kept).
 *
 * @throws {InvalidArgumentError} 40003 when `baseUrl` is not an absolute http(s) URL.
 */
export function createApiClient<Paths extends {}>(defaultBaseUrl: string, options: ApiClientOptions = {}): Client<Paths> {
  const client = createClient<Paths>({
    baseUrl: checkHttpUrl(options.baseUrl ?? defaultBaseUrl, 'baseUrl'),
    // Marks stream bodies so a retry never buffers an upload.
    Request: ReplayableRequest,
    fetch: typedFetch(options.fetch),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  // First, so its onResponse runs last and bounds the final answer openapi-fetch reads.
  client.use(boundedErrorBodies(), ...(options.middleware ?? []));
  return client;
}
