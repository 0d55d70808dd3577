import { defaultServerUrl, operationSecurity, securitySchemes } from '../../generated/ably.security';

/**
 * The security map of the bundled Ably spec (`openapi/ably.yaml`), as `tokensmith generate` writes
 * one for any spec: its `defaultServerUrl`, `securitySchemes` and `operationSecurity`. For building
 * your own openapi-fetch client of the Ably paths, or for `createAuthMiddleware` with your own provider.
 *
 * @example
 * ```ts
 * const ably = createApiClient<AblyPaths>(ablySecurity.defaultServerUrl, { middleware: [auth.middlewareFor(ablySecurity)] });
 * ```
 */
export const ablySecurity = { defaultServerUrl, operationSecurity, securitySchemes } as const;
