import { defaultServerUrl, operationSecurity, securitySchemes } from '../../generated/metquay.security';

/**
 * The security map of the bundled Metquay-style spec (`openapi/metquay.yaml`), as `tokensmith
 * generate` writes one for any spec: its `defaultServerUrl` (the placeholder host: pass your
 * deployment's `baseUrl`), `securitySchemes` and `operationSecurity`.
 *
 * @example
 * ```ts
 * const mq = createApiClient<MetquayPaths>(metquaySecurity.defaultServerUrl, { baseUrl: auth.baseUrl, middleware: [auth.middlewareFor(metquaySecurity)] });
 * ```
 */
export const metquaySecurity = { defaultServerUrl, operationSecurity, securitySchemes } as const;
