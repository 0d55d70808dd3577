import { ConfigurationError, InvalidArgumentError } from '../core/errors';
import { refuseUnset, withoutUndefined } from '../core/options';
import { Credential } from '../core/spec-auth/credential';
import type { SchemeKinds, SchemeProvider, SchemeUse } from '../core/spec-auth/types';
import { kitOf, type SharedTokenStore } from '../core/store-key';
import { TokenManager } from '../core/token-manager';
import { BearerSlot, isInvalidTokenResponse } from './bearer-slot';
import { DiscoveryCache } from './discovery';
import { resolveEndpointUrl, tokenEndpointFor } from './endpoint-url';
import { checkClientOptions, type OAuth2ClientOptions } from './options';
import { requestToken } from './token-endpoint';
import type { OAuth2Token } from './types';

/** Options of {@link OAuth2RefreshToken}. */
export interface OAuth2RefreshTokenOptions extends OAuth2ClientOptions {
  /** The refresh token the user obtained (an authorization-code or password flow). Kept private; replaced when the server rotates it. `undefined` is refused with 40106. */
  refreshToken: string | undefined;
  /** The client secret, for a confidential client. Absent: a public client (`client_id` in the body). */
  clientSecret?: string | undefined;
  /** Hears every new refresh token the server rotates in, to persist it (it replaces the old one, which the server may now refuse). */
  onRefreshToken?: ((refreshToken: string) => void) | undefined;
  /**
   * Shares the access token and the current refresh token across a fleet. Needs `subject`: one
   * chain of refresh tokens belongs to one user, and the store keys it by that name.
   */
  store?: SharedTokenStore | undefined;
  /** A public name for whose refresh token this is (a user id); needed with `store`. */
  subject?: string | undefined;
  /** How long the store keeps the current refresh token, in ms. Default 30 days. */
  refreshTokenTtlMs?: number | undefined;
}

const KINDS = /* @__PURE__ */ Object.freeze({ oauth2: true, openIdConnect: true } as const);
const DEFAULT_REFRESH_TTL_MS = 30 * 24 * 3600_000;

/**
 * OAuth2 with a refresh token the user supplies (RFC 6749 §6): access tokens come from the
 * `refresh_token` grant, one cached token (the grant's own scope) with the {@link TokenManager}
 * lifecycle. When the server rotates the refresh token, the new one replaces the old at once —
 * in memory, in the `store` (so the next process of the fleet uses it), and through
 * `onRefreshToken`.
 *
 * The token URL is `tokenUrl`, else the scheme's `refreshUrl` or `tokenUrl` (authorizationCode,
 * password or clientCredentials flow), else, for openIdConnect, the discovery `token_endpoint`.
 *
 * @see RFC 6749 §6.
 * @example
 * ```ts
 * const auth = createSpecAuth(security, {
 *   credentials: {
 *     oauth: new OAuth2RefreshToken({ clientId: 'cli', refreshToken: saved, onRefreshToken: (next) => save(next) }),
 *   },
 * });
 * ```
 */
export class OAuth2RefreshToken extends Credential implements SchemeProvider<'oauth2' | 'openIdConnect'> {
  readonly label = 'OAuth2RefreshToken';
  readonly kinds: SchemeKinds<'oauth2' | 'openIdConnect'> = KINDS;
  readonly #options: OAuth2RefreshTokenOptions & { clientId: string };
  readonly #secret: string | undefined;
  #refreshToken: string;
  #slot: BearerSlot | undefined;
  #endpoint: (() => string | Promise<string>) | undefined;
  readonly #discovery: DiscoveryCache;

  constructor(options: OAuth2RefreshTokenOptions) {
    super();
    checkClientOptions(options, 'OAuth2RefreshToken');
    refuseUnset(options.refreshToken, 'OAuth2RefreshToken "refreshToken"');
    if (typeof options.refreshToken !== 'string' || options.refreshToken === '') throw new InvalidArgumentError(40003, 'OAuth2RefreshToken "refreshToken" must be a non-empty string');
    if (options.clientSecret !== undefined && (typeof options.clientSecret !== 'string' || options.clientSecret === '')) {
      throw new InvalidArgumentError(40003, 'OAuth2RefreshToken "clientSecret" must be a non-empty string when given');
    }
    if (options.store !== undefined && (typeof options.subject !== 'string' || options.subject === '')) {
      throw new InvalidArgumentError(40003, 'OAuth2RefreshToken "subject" must name whose refresh token this is when a "store" is given');
    }
    if (options.store !== undefined) kitOf(options.store);
    this.#secret = options.clientSecret;
    this.#refreshToken = options.refreshToken;
    this.#options = { ...options, refreshToken: '', clientSecret: undefined };
    this.#discovery = new DiscoveryCache(options.fetch, options.tokenManager?.fetchTimeoutMs ?? 10_000);
    if (options.tokenUrl !== undefined && /^https?:\/\//i.test(options.tokenUrl)) {
      const url = resolveEndpointUrl(options.tokenUrl, undefined, 'OAuth2RefreshToken "tokenUrl"');
      this.#endpoint = () => url;
    }
  }

  prepare(use: SchemeUse): void {
    this.#resolveEndpoint(use);
  }

  apply(request: Request, use: SchemeUse): void | Promise<void> {
    return this.#slotFor(use).apply(request);
  }

  isRejection(response: Response): boolean {
    return (this.#options.isRejection ?? isInvalidTokenResponse)(response);
  }

  renew(use: SchemeUse, sent: Request): Promise<void> {
    return this.#slotFor(use).renew(sent);
  }

  /**
   * An access token, outside any spec (needs an absolute `tokenUrl`).
   *
   * @throws {ConfigurationError} 40106 when no endpoint is known yet.
   */
  getToken(): Promise<OAuth2Token> {
    return this.#slotFor(undefined).manager.getToken();
  }

  /** Public facts only. */
  override toJSON(): { credential: string; clientId: string; hasToken: boolean } {
    return { credential: this.label, clientId: this.#options.clientId, hasToken: this.#slot?.manager.peek() !== undefined };
  }

  #resolveEndpoint(use: SchemeUse): void {
    if (this.#endpoint !== undefined) return;
    const fromFlows = (flows: NonNullable<SchemeUse['scheme']['flows']>) =>
      flows.authorizationCode?.refreshUrl ?? flows.authorizationCode?.tokenUrl ?? flows.password?.refreshUrl ?? flows.password?.tokenUrl ?? flows.clientCredentials?.refreshUrl ?? flows.clientCredentials?.tokenUrl;
    this.#endpoint = tokenEndpointFor(use, this.#options.tokenUrl, fromFlows, this.#discovery, 'OAuth2RefreshToken').url;
  }

  #slotFor(use: SchemeUse | undefined): BearerSlot {
    if (this.#slot !== undefined) return this.#slot;
    if (use !== undefined) this.#resolveEndpoint(use);
    const endpoint = this.#endpoint;
    if (endpoint === undefined) throw new ConfigurationError(40106, 'OAuth2RefreshToken has no token endpoint; give an absolute "tokenUrl" or use it through createSpecAuth');
    const { clientId, authMethod = 'client_secret_basic', fetch, store, subject, tokenManager, onRefreshToken, refreshTokenTtlMs = DEFAULT_REFRESH_TTL_MS } = this.#options;
    const secret = this.#secret;
    const storeKey = store && subject !== undefined ? kitOf(store).identity({ provider: 'oauth2', grant: 'refresh_token', clientId, subject }) : undefined;
    const refreshKey = storeKey === undefined ? undefined : `${storeKey}:refresh`;
    const current = async (): Promise<string> => {
      if (store === undefined || refreshKey === undefined) return this.#refreshToken;
      const stored = await store.get(refreshKey).catch(() => undefined);
      return typeof stored?.value.token === 'string' ? stored.value.token : this.#refreshToken;
    };
    const manager = new TokenManager<OAuth2Token>({
      // Names the provider in token events (onTokenEvent); tokenManager may rename it.
      provider: 'oauth2',
      ...withoutUndefined(tokenManager),
      secrets: [secret, this.#refreshToken].filter((s): s is string => s !== undefined),
      ...(store && storeKey ? { store, storeKey } : {}),
      fetchToken: async (signal, { sentAt }) => {
        const refreshToken = await current();
        const token = await requestToken({
          url: await endpoint(),
          params: { grant_type: 'refresh_token', refresh_token: refreshToken },
          client: { clientId, clientSecret: secret, method: authMethod },
          fetch,
          signal,
          sentAt,
          secrets: [secret, refreshToken, this.#refreshToken],
          what: 'OAuth2 token endpoint (refresh_token grant)',
        });
        if (token.refreshToken !== undefined && token.refreshToken !== refreshToken) {
          this.#refreshToken = token.refreshToken;
          if (store && refreshKey) await store.set(refreshKey, { value: { token: token.refreshToken }, obtainedAt: sentAt }, refreshTokenTtlMs).catch(() => undefined);
          onRefreshToken?.(token.refreshToken);
        }
        // The refresh token stays out of the cached (and stored) access-token state.
        return { token: token.token, ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }), ...(token.scope === undefined ? {} : { scope: token.scope }) };
      },
    });
    this.#slot = new BearerSlot(manager);
    return this.#slot;
  }
}
