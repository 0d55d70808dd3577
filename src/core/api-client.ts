import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ReplayableRequest } from './replay';

/** Options shared by the typed API clients. */
export interface ApiClientOptions {
  /** Base URL of the API; defaults (also when `undefined`, e.g. an unset variable) to the spec's first server. */
  baseUrl?: string | undefined;
  /** A `fetch` to send requests with (tests, proxies, instrumentation). Defaults to the global one. */
  fetch?: typeof globalThis.fetch;
  /** openapi-fetch middleware, registered in this order. */
  middleware?: readonly Middleware[];
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/**
 * An openapi-fetch client for the given `paths` with the spec's default base URL and the
 * middleware registered, building requests with {@link ReplayableRequest}. The typed `createAblyApi`/`createMetquayApi` are this with their types.
 */
export function createApiClient<Paths extends {}>(defaultBaseUrl: string, options: ApiClientOptions = {}): Client<Paths> {
  const client = createClient<Paths>({
    baseUrl: (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, ''),
    // Marks stream bodies so a retry never buffers an upload.
    Request: ReplayableRequest,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  if (options.middleware?.length) client.use(...options.middleware);
  return client;
}
