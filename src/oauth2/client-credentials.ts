import { InvalidArgumentError } from '../core/errors';
import { refuseUnset, withoutUndefined } from '../core/options';
import { Credential } from '../core/spec-auth/credential';
import type { SchemeKinds, SchemeProvider, SchemeUse } from '../core/spec-auth/types';
import { kitOf, type SharedTokenStore } from '../core/store-key';
import { TokenManager, type TokenManagerOptions } from '../core/token-manager';
import { BearerSlot, isInvalidTokenResponse, scopeKey } from './bearer-slot';
import { DiscoveryCache } from './discovery';
import { resolveEndpointUrl, tokenEndpointFor } from './endpoint-url';
import { checkClientOptions, type OAuth2ClientOptions } from './options';
import { requestToken } from './token-endpoint';
import type { OAuth2Token } from './types';

/** Options of {@link OAuth2ClientCredentials}. */
export interface OAuth2ClientCredentialsOptions extends OAuth2ClientOptions {
  /** The client secret. Kept in a private field; never printed, logged or put in an error. `undefined` is refused with 40106. */
  clientSecret: string | undefined;
  /** Scopes asked for when an operation's requirement lists none. Default none (the server's default grant). */
  defaultScopes?: readonly string[] | undefined;
  /** Extra form parameters of every token request, e.g. `{ audience: 'https://api.example.com' }`. Public values only. */
  extraParams?: Readonly<Record<string, string>> | undefined;
  /** Shares tokens across managers or a fleet (`MemoryTokenStore` from `tokensmith/store`, the Redis store); keyed by endpoint, client id and scope set. */
  store?: SharedTokenStore | undefined;
}

/** Options passed through to each scope set's {@link TokenManager}. */
export type OAuth2TokenManagerOptions = Omit<TokenManagerOptions<OAuth2Token>, 'fetchToken' | 'store' | 'storeKey' | 'initialState' | 'secrets'>;

const RESERVED_PARAMS = ['grant_type', 'scope', 'client_id', 'client_secret', 'refresh_token'];
const KINDS = /* @__PURE__ */ Object.freeze({ oauth2: true, openIdConnect: true } as const);

/**
 * OAuth2 client credentials (RFC 6749 §4.4) for an `oauth2` scheme with a `clientCredentials`
 * flow, or an `openIdConnect` scheme (its discovery document's `token_endpoint`). Configure it
 * under the scheme's name in `createSpecAuth`.
 *
 * - The token URL: `tokenUrl` when given, else the spec's (a relative one resolved against the
 *   server URL), else, for openIdConnect, discovery at `openIdConnectUrl` (read once, cached).
 * - One cached token per scope set: the operation's scopes, deduplicated and sorted; each with
 *   the {@link TokenManager} lifecycle (one fetch however many calls wait, refresh ahead of
 *   expiry, the shared `store` with its fleet lock).
 * - A 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1) renews that
 *   token and the engine retries the call once.
 * - A refused client secret is an `InvalidCredentialsError` (from `tokensmith`) 40101 with the RFC 6749
 *   error in `error.upstream.error`; the secret never appears in an error, a log or a printout.
 *
 * @see RFC 6749 §4.4 and §2.3.1; RFC 6750 §3.1.
 * @example
 * ```ts
 * import { createSpecAuth } from 'tokensmith';
 * import { OAuth2ClientCredentials } from 'tokensmith/oauth2';
 * import * as security from './generated/billing.security';
 *
 * const auth = createSpecAuth(security, {
 *   credentials: { oauth: new OAuth2ClientCredentials({ clientId: 'reports', clientSecret: process.env.BILLING_SECRET }) },
 * });
 * ```
 */
export class OAuth2ClientCredentials extends Credential implements SchemeProvider<'oauth2' | 'openIdConnect'> {
  readonly label = 'OAuth2ClientCredentials';
  readonly kinds: SchemeKinds<'oauth2' | 'openIdConnect'> = KINDS;
  readonly #options: OAuth2ClientCredentialsOptions & { clientId: string };
  readonly #secret: string;
  readonly #bySet = new Map<string, BearerSlot>();
  readonly #byUse = new WeakMap<SchemeUse, BearerSlot>();
  readonly #discovery: DiscoveryCache;

  constructor(options: OAuth2ClientCredentialsOptions) {
    super();
    checkClientOptions(options, 'OAuth2ClientCredentials');
    refuseUnset(options.clientSecret, 'OAuth2ClientCredentials "clientSecret"');
    if (typeof options.clientSecret !== 'string' || options.clientSecret === '') {
      throw new InvalidArgumentError(40003, 'OAuth2ClientCredentials "clientSecret" must be a non-empty string');
    }
    if (options.defaultScopes !== undefined && (!Array.isArray(options.defaultScopes) || !options.defaultScopes.every((s) => typeof s === 'string' && /^\S+$/.test(s)))) {
      throw new InvalidArgumentError(40003, 'OAuth2ClientCredentials "defaultScopes" must be an array of scope names without spaces');
    }
    for (const [name, value] of Object.entries(options.extraParams ?? {})) {
      if (RESERVED_PARAMS.includes(name) || typeof value !== 'string') {
        throw new InvalidArgumentError(40003, `OAuth2ClientCredentials "extraParams.${name}" must be a string and not a parameter tokensmith sets`);
      }
    }
    if (options.store !== undefined) kitOf(options.store);
    this.#secret = options.clientSecret;
    this.#options = { ...options, clientSecret: '' };
    this.#discovery = new DiscoveryCache(options.fetch, options.tokenManager?.fetchTimeoutMs ?? 10_000);
  }

  /** Builds the scope set's token state once, at construction of the engine. */
  prepare(use: SchemeUse): void {
    this.#slotFor(use);
  }

  apply(request: Request, use: SchemeUse): void | Promise<void> {
    return (this.#byUse.get(use) ?? this.#slotFor(use)).apply(request);
  }

  isRejection(response: Response): boolean {
    return (this.#options.isRejection ?? isInvalidTokenResponse)(response);
  }

  renew(use: SchemeUse, sent: Request): Promise<void> {
    return (this.#byUse.get(use) ?? this.#slotFor(use)).renew(sent);
  }

  /**
   * A token for `scopes` from the endpoint given as `tokenUrl` (absolute), outside any spec: for
   * calls tokensmith does not make.
   *
   * @throws {ConfigurationError} 40106 when no absolute `tokenUrl` was given.
   */
  getToken(scopes: readonly string[] = this.#options.defaultScopes ?? []): Promise<OAuth2Token> {
    const url = resolveEndpointUrl(this.#options.tokenUrl ?? '', undefined, 'OAuth2ClientCredentials "tokenUrl"');
    return this.#slot(url, () => url, scopeKey(scopes), 'tokenUrl').manager.getToken();
  }

  /** Public facts only: the client id, how it authenticates, how many scope sets hold state. */
  override toJSON(): { credential: string; clientId: string; authMethod: string; scopeSets: number } {
    return { credential: this.label, clientId: this.#options.clientId, authMethod: this.#options.authMethod ?? 'client_secret_basic', scopeSets: this.#bySet.size };
  }

  #slotFor(use: SchemeUse): BearerSlot {
    const scopes = scopeKey(use.scopes.length > 0 ? use.scopes : (this.#options.defaultScopes ?? []));
    const endpoint = tokenEndpointFor(use, this.#options.tokenUrl, (flows) => flows.clientCredentials?.tokenUrl, this.#discovery, 'OAuth2ClientCredentials');
    const slot = this.#slot(endpoint.key, endpoint.url, scopes, use.schemeName);
    this.#byUse.set(use, slot);
    return slot;
  }

  /** The slot for (endpoint, scope set), made on first use. `endpointKey` is public: a URL. */
  #slot(endpointKey: string, endpoint: () => string | Promise<string>, scopes: string, schemeName: string): BearerSlot {
    const key = `${endpointKey}\n${scopes}`;
    const existing = this.#bySet.get(key);
    if (existing) return existing;
    const { clientId, authMethod = 'client_secret_basic', extraParams, fetch, store, tokenManager } = this.#options;
    const secret = this.#secret;
    const what = `OAuth2 token endpoint for scheme "${schemeName}"`;
    const manager = new TokenManager<OAuth2Token>({
      // Names the provider in token events (onTokenEvent); tokenManager may rename it.
      provider: 'oauth2',
      ...withoutUndefined(tokenManager),
      secrets: [secret],
      ...(store ? { store, storeKey: kitOf(store).identity({ provider: 'oauth2', grant: 'client_credentials', endpoint: endpointKey, clientId, scope: scopes, extraParams: { ...extraParams } }) } : {}),
      fetchToken: async (signal, { sentAt }) => {
        const token = await requestToken({
          url: await endpoint(),
          params: { grant_type: 'client_credentials', ...(scopes === '' ? {} : { scope: scopes }), ...extraParams },
          client: { clientId, clientSecret: secret, method: authMethod },
          fetch,
          signal,
          sentAt,
          secrets: [secret],
          what,
        });
        // Client credentials should carry no refresh token (RFC 6749 §4.4.3); none is kept.
        return { token: token.token, ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }), ...(token.scope === undefined ? {} : { scope: token.scope }) };
      },
    });
    const slot = new BearerSlot(manager);
    this.#bySet.set(key, slot);
    return slot;
  }
}
