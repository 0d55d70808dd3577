import type { Client } from 'openapi-fetch';
import type { paths } from '../../generated/ably';
import { defaultServerUrl } from '../../generated/ably.security';
import { createApiClient, type ApiClientOptions } from '../core/api-client';

/** A typed client of the Ably REST operations in `openapi/ably.yaml`. */
export type AblyApi = Client<paths>;

/**
 * A typed openapi-fetch client of the Ably token endpoints, without auth. Use
 * `createAblyClient` for one with auth attached.
 *
 * @example
 * ```ts
 * const api = createAblyApi({ baseUrl: 'http://127.0.0.1:8080' });
 * const { data } = await api.GET('/time');
 * ```
 */
export function createAblyApi(options: ApiClientOptions = {}): AblyApi {
  return createApiClient<paths>(defaultServerUrl, options);
}
