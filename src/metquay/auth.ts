import { PrintsSafely } from '../core/printable';
import type { Middleware } from 'openapi-fetch';
import type { components } from '../../generated/metquay';
import { operationSecurity, securitySchemes } from '../../generated/metquay.security';
import { SystemClock, type Clock } from '../core/clock';
import { send } from '../core/http';
import { kitOf } from '../core/store-key';
import { withoutUndefined } from '../core/options';
import type { Logger } from '../core/logger';
import { managerBearer, type ManagerBearer } from '../core/spec-auth/manager-bearer';
import { createSchemeMiddleware } from '../core/spec-auth/middleware';
import type { SpecSecurityMap } from '../core/spec-auth/types';
import { TokenManager } from '../core/token-manager';
import { passedThrough } from '../core/token-manager-options';
import { readAuthenticationResponse, type AuthenticationResponse } from './authenticate-response';
import { DEFAULT_METQUAY_AUTH_OPTIONS, type MetquayAuthOptions, resolveMetquayCredentials } from './options';
import { toMetquayToken, type MetquayToken } from './token';

const KNOWN_SECRETS = new WeakMap<MetquayAuth, () => readonly string[]>();

/** The secret key and current token of `auth`, to scrub from messages quoted from its API. @internal */
export function secretsOf(auth: MetquayAuth): readonly string[] {
  return KNOWN_SECRETS.get(auth)?.() ?? [];
}

/**
 * Metquay-style authentication: trades an access/secret key pair for a bearer JWT at
 * `POST /authenticate`, caches it, refreshes it ahead of expiry with one fetch at a time, and
 * attaches it to API calls through {@link MetquayAuth.middleware}.
 *
 * - A 401 from `/authenticate` is final: `InvalidCredentialsError` (40101), no retry.
 * - A 429 is waited out for its `Retry-After` (up to `maxRetryAfterMs`), then retried.
 * - An answer that breaks the contract is an `AuthProviderError` 50002 naming what was wrong.
 * - Printing it (`console.log`, `util.inspect`, `JSON.stringify`) shows the base URL and whether a
 *   token is held, never the secret key or a token.
 *
 * @example
 * ```ts
 * const auth = new MetquayAuth({ baseUrl: 'https://example.com/api/v1' }); // keys from METQUAY_* env
 * const token = await auth.getToken();
 * const api = createMetquayApi({ baseUrl: auth.baseUrl, middleware: [auth.middleware] });
 * ```
 */
export class MetquayAuth extends PrintsSafely {
  /** The API's base URL (no trailing slash) tokens are fetched from. */
  readonly baseUrl: string;
  /** The clock token lifetimes are measured on. */
  readonly clock: Clock;
  /**
   * openapi-fetch middleware that sends `Authorization: Bearer <accessToken>` on every operation
   * the spec protects, and on a 401 re-authenticates once and retries.
   */
  readonly middleware: Middleware;
  readonly #manager: TokenManager<MetquayToken>;
  readonly #bearer: ManagerBearer;
  readonly #logger: Logger | undefined;

  constructor(options: MetquayAuthOptions = {}) {
    super();
    const { accessKey, secretKey, baseUrl } = resolveMetquayCredentials(options);
    this.baseUrl = baseUrl;
    const clock = (this.clock = options.clock ?? new SystemClock());
    const fetchImpl = options.fetch;
    const url = `${baseUrl}/authenticate`;
    const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_METQUAY_AUTH_OPTIONS.maxRetryAfterMs;
    const body: components['schemas']['AuthenticationRequest'] = { accessKey, secretKey };
    const serialized = JSON.stringify(body);
    const secrets = [secretKey];
    this.#manager = new TokenManager<MetquayToken>({
      fetchToken: async (signal, { sentAt }) => {
        const init: RequestInit = {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: serialized,
          signal,
          // Never re-post the secret to wherever a redirect points.
          redirect: 'manual',
        };
        const response = await send(fetchImpl, url, init, 'Metquay /authenticate', secrets);
        const answer = await readAuthenticationResponse(response, secrets, clock.now());
        return toMetquayToken(answer, sentAt, DEFAULT_METQUAY_AUTH_OPTIONS.defaultTokenLifetimeSeconds);
      },
      clock,
      secrets,
      retry: { maxDelayMs: maxRetryAfterMs, ...withoutUndefined(options.retry) },
      ...(options.store ? { store: options.store, storeKey: kitOf(options.store).identity({ provider: 'metquay', baseUrl, accessKey }) } : {}),
      // Picked by name; TokenManager takes an undefined option as absent.
      ...passedThrough(options),
      provider: 'metquay',
    });
    this.#bearer = managerBearer(this.#manager);
    KNOWN_SECRETS.set(this, () => {
      const token = this.#manager.lastObtained();
      return token ? [secretKey, token.token] : [secretKey];
    });
    this.#logger = options.logger;
    this.middleware = this.middlewareFor({ operationSecurity, securitySchemes });
  }

  /**
   * openapi-fetch middleware for a client of another spec (e.g. your deployment's own, generated
   * by `tokensmith generate`): `Authorization: Bearer <accessToken>` on each operation that spec
   * protects with an http bearer scheme, none on `security: []` ones, and re-authenticate-and-retry
   * once on a 401, as {@link MetquayAuth.middleware}. Register it last.
   *
   * @example
   * ```ts
   * import { MetquayAuth } from 'tokensmith';
   * import { createApiClient } from 'tokensmith/client';
   * import type { paths } from './generated/lab';
   * import * as security from './generated/lab.security';
   *
   * const auth = new MetquayAuth({ baseUrl: 'https://lab.example.com/api/v1' });
   * const lab = createApiClient<paths>(security.defaultServerUrl, { baseUrl: auth.baseUrl, middleware: [auth.middlewareFor(security)] });
   * ```
   */
  middlewareFor(security: SpecSecurityMap): Middleware {
    const bearer = this.#bearer;
    return createSchemeMiddleware(security, {
      resolve: (_name, _scheme, kind) => (kind === 'bearer' ? bearer : undefined),
      // No onUnmet: as before the engine, an operation this auth cannot serve now is sent without
      // credentials, and one the map does not list gets any http bearer or basic scheme.
      logger: this.#logger,
    });
  }

  /** A valid access token: the cached one, else the result of the one shared `/authenticate`. */
  async getToken(): Promise<string> {
    return (await this.#manager.getToken()).token;
  }

  /** Always calls `/authenticate` (joining one already in flight) and caches the new token. */
  async authenticate(): Promise<AuthenticationResponse> {
    return (await this.#manager.getToken({ force: true })).response;
  }

  /** Only public facts: the base URL and the token manager's (whether a token is held, until when). */
  toJSON(): { baseUrl: string; token: ReturnType<TokenManager<MetquayToken>['toJSON']> } {
    return { baseUrl: this.baseUrl, token: this.#manager.toJSON() };
  }

  /** `MetquayAuth {…}`: what {@link MetquayAuth.toJSON} shows. */
  override toString(): string {
    return `MetquayAuth ${JSON.stringify(this.toJSON())}`;
  }
}
