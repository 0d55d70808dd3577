/**
 * The `tokensmith/client` entry: typed openapi-fetch clients with auth attached, and Metquay list
 * paging. Apart from the default entry so an app that only needs the auth layer (middleware,
 * `getToken()`, token requests) never bundles openapi-fetch. Web APIs only.
 * @module tokensmith/client
 */
export { createApiClient, type ApiClientOptions } from '../core/api-client';
export { createAblyApi, type AblyApi } from '../ably/api';
export { createAblyClient, type AblyClient, type AblyClientOptions } from '../ably/client';
export { createMetquayApi, type MetquayApi } from '../metquay/api';
export { createMetquayClient, type MetquayClient, type MetquayClientOptions } from '../metquay/client';
export {
  DEFAULT_PAGE_LIMIT,
  paginate,
  type JsonOk,
  type MetquayListItem,
  type MetquayListPath,
  type PaginateOptions,
} from '../metquay/paginate';
