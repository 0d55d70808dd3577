// Metquay-style auth: key pair -> cached bearer JWT (the typed client and paging are `tokensmith/client`).
export { MetquayAuth } from './auth';
export { metquaySecurity } from './spec-security';
export type { AuthenticationResponse } from './authenticate-response';
export { DEFAULT_METQUAY_AUTH_OPTIONS, METQUAY_ENV, type MetquayAuthOptions } from './options';
export type { MetquayToken } from './token';
/**
 * The generated `paths`/`components`/`operations` of `openapi/metquay.yaml`, for your own
 * openapi-fetch client or a handler typed from the spec. Left out of the API reference: every
 * operation and model is in `generated/docs/metquay/`.
 * @hidden
 */
export type { paths as MetquayPaths, components as MetquayComponents, operations as MetquayOperations } from '../../generated/metquay';
