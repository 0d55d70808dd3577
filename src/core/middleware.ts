import type { Middleware } from 'openapi-fetch';
import { InvalidArgumentError, type RequestNotReplayableError } from './errors';
import { silentLogger, type Logger } from './logger';
import { keepReplayCopy } from './replay';
import { resendOnce } from './resend';
import { compileSecurity, type AuthScheme, type OperationAuth, type OperationSecurity, type SecuritySchemes } from './security';

export { ANY_SCHEME, type AuthScheme, type OperationAuth, type OperationSecurity, type SecuritySchemes } from './security';

/** What a provider (Ably, Metquay) gives the middleware. */
export interface AuthProvider {
  /**
   * The full Authorization value for an operation accepting `allowed` schemes (spec order), e.g.
   * `Bearer abc=`, or `undefined` to send none (only sensible when `optional`). Return a cached
   * string synchronously when the token is warm, so the hot path allocates nothing.
   */
  authorization(allowed: readonly AuthScheme[], optional: boolean): string | undefined | Promise<string | undefined>;
  /** True when `response` says the token was rejected (e.g. 401 with code 40140–40149). Do not consume the body; use `response.clone()`. */
  isTokenRejection(response: Response): boolean | Promise<boolean>;
  /** Renews after `rejectedAuthorization` (the header value that was refused) was rejected. */
  renew(rejectedAuthorization: string): Promise<void>;
}

/** Options of {@link createAuthMiddleware}. */
export interface AuthMiddlewareOptions {
  /** Generated `operationSecurity` (e.g. from `generated/ably.security.ts`). */
  operationSecurity: OperationSecurity;
  /** Generated `securitySchemes`. */
  securitySchemes: SecuritySchemes;
  /** Supplies headers and renews tokens. */
  provider: AuthProvider;
  /** Pino-shaped logger; silent by default. Never sees a header value. */
  logger?: Logger | undefined;
}

/**
 * openapi-fetch middleware that authenticates each operation as its spec says, and retries once
 * when the token is rejected.
 *
 * - `security: []` operations get no header; others get `provider.authorization(allowed,
 *   optional)`. An operation missing from `operationSecurity` is treated as "any scheme,
 *   required".
 * - On a token rejection: `provider.renew(sentValue)`, then the request is sent once more through
 *   the client's `fetch` with a copy of the body taken before the first send. Never a second
 *   retry. A stream body is not retried: the call rejects with a
 *   {@link RequestNotReplayableError} (the token is renewed, so sending again works). Stream bodies
 *   are recognised on requests built by {@link ReplayableRequest} (pass `Request:
 *   ReplayableRequest` to openapi-fetch's `createClient`; `createApiClient` does). If renewal
 *   itself fails, the call rejects with the renewal's typed error.
 *
 * Register it LAST (`client.use(logging, metrics, auth)`): openapi-fetch runs `onRequest` in
 * order and `onResponse` in reverse, so it then signs the final request (and copies exactly what
 * is sent), other middleware never see the header, and its retry's response is what every other
 * `onResponse` sees.
 *
 * @see Ably client features spec RSA4b (renew on a token error) and RSC10 (retry the request once
 * after renewing).
 * @example
 * ```ts
 * import createClient from 'openapi-fetch';
 * import { operationSecurity, securitySchemes } from '../generated/ably.security';
 * const client = createClient<paths>({ baseUrl });
 * client.use(loggingMiddleware, createAuthMiddleware({ operationSecurity, securitySchemes, provider }));
 * ```
 */
export function createAuthMiddleware(options: AuthMiddlewareOptions): Middleware {
  const provider = options?.provider;
  for (const method of ['authorization', 'isTokenRejection', 'renew'] as const) {
    if (typeof provider?.[method] !== 'function') throw new InvalidArgumentError(40003, `"provider.${method}" must be a function`);
  }
  const lookup = compileSecurity(options.operationSecurity, options.securitySchemes);
  // Its log lines (method, schema path, status, fixed messages) carry no secret to redact.
  const log = options.logger ?? silentLogger;

  const attach = (request: Request, value: string | undefined): undefined => {
    if (value === undefined) return undefined;
    request.headers.set('Authorization', value);
    keepReplayCopy(request);
    return undefined;
  };

  const retryIfRejected = async (rejected: boolean | Promise<boolean>, request: Request, response: Response, auth: OperationAuth, schemaPath: string, fetch: typeof globalThis.fetch) => {
    const sent = request.headers.get('Authorization');
    if (!(await rejected) || sent === null) return undefined;
    await provider.renew(sent);
    return resendOnce(request, response, schemaPath, fetch, log, async (copy) => {
      const renewed = await provider.authorization(auth.allowed, auth.optional);
      if (renewed === undefined || renewed === sent) return undefined;
      copy.headers.set('Authorization', renewed);
      return copy;
    });
  };

  return {
    onRequest({ request, schemaPath }) {
      const auth = lookup(request.method, schemaPath);
      if (auth === null) {
        // No auth, but a 429 retry (core's replay) may still need to send the body again.
        keepReplayCopy(request);
        return undefined;
      }
      const value = provider.authorization(auth.allowed, auth.optional);
      return typeof value === 'object' ? value.then((resolved) => attach(request, resolved)) : attach(request, value);
    },
    onResponse({ request, response, schemaPath, options: clientOptions }) {
      const auth = lookup(request.method, schemaPath);
      if (auth === null) return undefined;
      const rejected = provider.isTokenRejection(response);
      return rejected === false ? undefined : retryIfRejected(rejected, request, response, auth, schemaPath, clientOptions.fetch);
    },
  };
}
