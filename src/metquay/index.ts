// Metquay-style auth: key pair -> cached bearer JWT, a typed client with auth attached, paging.
export { createMetquayApi, type MetquayApi } from './api';
export { MetquayAuth } from './auth';
export { metquaySecurity } from './spec-security';
export type { AuthenticationResponse } from './authenticate-response';
export { createMetquayClient, type MetquayClient, type MetquayClientOptions } from './client';
export { DEFAULT_METQUAY_AUTH_OPTIONS, METQUAY_ENV, type MetquayAuthOptions } from './options';
export { DEFAULT_PAGE_LIMIT, paginate, type MetquayListItem, type MetquayListPath, type PaginateOptions } from './paginate';
export type { MetquayToken } from './token';
export type { JsonOk } from './paginate';
/**
 * The generated `paths`/`components`/`operations` of `openapi/metquay.yaml`, for your own
 * openapi-fetch client or a handler typed from the spec. Left out of the API reference: every
 * operation and model is in `generated/docs/metquay/`.
 * @hidden
 */
export type { paths as MetquayPaths, components as MetquayComponents, operations as MetquayOperations } from '../../generated/metquay';
