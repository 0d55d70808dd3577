import type { Client } from 'openapi-fetch';
import type { paths } from '../../generated/metquay';
import { defaultServerUrl } from '../../generated/metquay.security';
import { createApiClient, type ApiClientOptions } from '../core/api-client';

/** A typed client of the Metquay-style operations in `openapi/metquay.yaml`. */
export type MetquayApi = Client<paths>;

/**
 * A typed openapi-fetch client of the Metquay-style API, without auth. Pass your instance's
 * `baseUrl` (ending in `/api/v1`); use `createMetquayClient` for one with auth attached.
 *
 * @example
 * ```ts
 * const api = createMetquayApi({ baseUrl: 'https://example.metquay.com/api/v1' });
 * const { data, error } = await api.POST('/authenticate', { body: { accessKey, secretKey } });
 * ```
 */
export function createMetquayApi(options: ApiClientOptions = {}): MetquayApi {
  return createApiClient<paths>(defaultServerUrl, options);
}
