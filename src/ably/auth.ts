import type { Middleware } from 'openapi-fetch';
import { operationSecurity, securitySchemes } from '../../generated/ably.security';
import { SystemClock } from '../core/clock';
import { ConfigurationError, InvalidCredentialsError, TokenError, TokensmithError } from '../core/errors';
import { createAuthMiddleware, type AuthProvider } from '../core/middleware';
import type { SpecSecurity } from '../core/security';
import { withTimeout } from '../core/timeout';
import { TokenManager } from '../core/token-manager';
import { createAblyAuthProvider, type AblyToken } from './auth-provider';
import type { Signer } from './crypto/signer';
import { webSigner } from './crypto/web';
import { signAblyJwt } from './jwt';
import type { AblyKey } from './key';
import { createTokenManager } from './manager';
import { DEFAULT_ABLY_AUTH_OPTIONS, type AblyAuthOptions, type AuthOptions } from './options';
import { obtainToken, type TokenSourceDeps } from './request-token';
import { fetchServerTime, type AblyRest } from './rest';
import { checkAuthOptions, checkClientIdMatch, checkLibraryClientId, chooseMethod, literalToken, type AuthMethod } from './settings';
import { signTokenRequest } from './token-request';
import { normaliseTokenParams, type NormalisedTokenParams } from './token-params';
import type { TokenDetails, TokenParams, TokenRequest } from './types';

/**
 * Ably token auth with the official SDK's API (`createTokenRequest`, `requestToken`,
 * `authorize`), on tokensmith's token lifecycle: one fetch however many callers, renewal ahead of
 * expiry, renew-and-retry-once on a rejected token. `auth.middleware` plugs it into any
 * openapi-fetch client; `createAblyClient` does that for you.
 *
 * @example
 * ```ts
 * const auth = new AblyAuth({ key: process.env.ABLY_KEY, useTokenAuth: true, clientId: 'user-42' });
 * const tokenRequest = await auth.createTokenRequest({ capability: { 'chat:*': ['publish'] } });
 * ```
 * @see Ably client spec RSA1–RSA17
 */
export class AblyAuth {
  /** The signer this class binds; the `node` entry's subclass binds the node:crypto one. @internal */
  protected static signer: Signer = webSigner;

  /** openapi-fetch middleware: sets `Authorization` per the generated security map; renews and retries once on 40140–40149. Register it last. */
  readonly middleware: Middleware;
  /** The REST endpoint, without a trailing slash. */
  readonly baseUrl: string;

  readonly #signer: Signer;
  readonly #provider: AuthProvider;
  readonly #key: AblyKey | undefined;
  readonly #options: Readonly<AblyAuthOptions>;
  readonly #libraryClientId: string | undefined;
  readonly #clock = new SystemClock();
  readonly #rest: AblyRest;
  readonly #deps: TokenSourceDeps;
  #clockKnown = false;
  #clockSync: Promise<void> | undefined;
  #authOptions: Readonly<AuthOptions>;
  #tokenParams: NormalisedTokenParams;
  /** Params of the fetch authorize is about to make, timestamp and nonce included; used once. */
  #oneShotParams: NormalisedTokenParams | undefined;
  #method: AuthMethod;
  #tokenClientId: string | undefined;
  #manager: TokenManager<AblyToken>;

  constructor(options: AblyAuthOptions) {
    this.#signer = (new.target as unknown as { signer: Signer }).signer;
    this.#key = checkAuthOptions(options);
    this.#options = options;
    this.#libraryClientId = checkLibraryClientId(options.clientId);
    this.#method = chooseMethod(options, this.#key !== undefined);
    this.#authOptions = { ...options };
    this.#tokenParams = savedParams(normaliseTokenParams(options.defaultTokenParams), this.#libraryClientId);
    const baseUrl = options.baseUrl ?? DEFAULT_ABLY_AUTH_OPTIONS.baseUrl;
    if (!URL.canParse(baseUrl)) throw new ConfigurationError(40003, '"baseUrl" must be an absolute URL');
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#rest = { baseUrl: this.baseUrl, fetch: fetchImpl, secrets: () => this.#secrets() };
    this.#deps = {
      rest: this.#rest,
      signer: this.#signer,
      authTimeoutMs: options.authTimeoutMs ?? DEFAULT_ABLY_AUTH_OPTIONS.authTimeoutMs,
      timestamp: (queryTime, signal) => this.#timestamp(queryTime, signal),
      resyncClock: (signal) => this.#resyncClock(signal),
    };
    this.#manager = this.#newManager(this.#method === 'token' ? literalToken(options) : undefined);
    this.#provider = createAblyAuthProvider({
      method: () => this.#method,
      manager: () => this.#manager,
      key: this.#key,
      baseUrl: this.baseUrl,
    });
    this.middleware = this.middlewareFor({ operationSecurity, securitySchemes });
  }

  /**
   * openapi-fetch middleware for a client of another spec (one `tokensmith generate` made, or a
   * newer Ably spec): this auth's Basic or token credentials on each operation as that spec's
   * security map says, with renew-and-retry-once as {@link AblyAuth.middleware}. Register it last.
   *
   * @example
   * ```ts
   * import { AblyAuth, createApiClient } from 'tokensmith';
   * import type { paths } from './generated/ably-rest';
   * import * as security from './generated/ably-rest.security';
   *
   * const auth = new AblyAuth({ key: process.env.ABLY_KEY, useTokenAuth: true });
   * const rest = createApiClient<paths>(security.defaultServerUrl, { middleware: [auth.middlewareFor(security)] });
   * ```
   */
  middlewareFor(security: SpecSecurity): Middleware {
    return createAuthMiddleware({
      operationSecurity: security.operationSecurity,
      securitySchemes: security.securitySchemes,
      provider: this.#provider,
      ...(this.#options.logger ? { logger: this.#options.logger } : {}),
    });
  }

  /**
   * The client's identity [RSA7, RSA12]: the `clientId` option, else the clientId of the latest
   * token (`*` for a wildcard token), else null.
   */
  get clientId(): string | null {
    return this.#libraryClientId ?? this.#tokenClientId ?? null;
  }

  /** The token in use, while valid; null with Basic auth or before a token is obtained [RSA16]. */
  get tokenDetails(): TokenDetails | null {
    if (this.#method !== 'token') return null;
    return this.#manager.exportState()?.value.details ?? null;
  }

  /**
   * Creates and signs a TokenRequest with the key, for a client to exchange without auth [RSA9].
   * `tokenParams` and `authOptions` replace the saved defaults when given.
   *
   * @throws {InvalidCredentialsError} 40101 without a key. {@link ConfigurationError} 40012 for
   * an empty clientId; 40003 for an invalid capability, ttl or nonce.
   * @example
   * ```ts
   * app.get('/ably-token', async (req, res) => res.json(await auth.createTokenRequest({ clientId: req.user.id })));
   * ```
   */
  async createTokenRequest(tokenParams?: TokenParams, authOptions?: AuthOptions): Promise<TokenRequest> {
    const key = this.#keyFor(authOptions);
    if (!key) throw new InvalidCredentialsError('createTokenRequest needs a key; none was given');
    const params = tokenParams === undefined ? this.#tokenParams : normaliseTokenParams(tokenParams);
    const queryTime = (authOptions ?? this.#authOptions).queryTime === true;
    return signTokenRequest(key, this.#signer, params, () => this.#localTimestamp(queryTime));
  }

  /**
   * Obtains a new token [RSA8] — from the authCallback, else the authUrl, else by signing a
   * TokenRequest with the key and exchanging it — without making it the client's token (see
   * {@link AblyAuth.authorize}). Arguments replace the saved defaults when given.
   *
   * @throws {TokensmithError} 40170 when an authCallback or authUrl fails, hangs or answers
   * something unusable; 40171 when there is no means to obtain a token; Ably's code when Ably
   * refuses (e.g. 40101 a bad key).
   */
  async requestToken(tokenParams?: TokenParams, authOptions?: AuthOptions): Promise<TokenDetails> {
    const options = authOptions === undefined ? this.#authOptions : checked(authOptions);
    const params = tokenParams === undefined ? this.#tokenParams : normaliseTokenParams(tokenParams);
    const key = this.#keyFor(authOptions);
    const { details } = await this.#withTimeout((signal) => obtainToken(this.#deps, key, options, params, signal), 'requestToken');
    return details;
  }

  /**
   * Obtains a new token and makes it the client's from now on, switching to token auth [RSA10].
   * Given `tokenParams` and `authOptions` replace the saved ones (never merged; a timestamp and a
   * nonce are never saved); the key stays the client's [RSA10i], and a different key is refused
   * with 40102.
   *
   * @example
   * ```ts
   * await auth.authorize({ capability: { 'chat:lobby': ['subscribe'] } });
   * ```
   */
  async authorize(tokenParams?: TokenParams, authOptions?: AuthOptions): Promise<TokenDetails> {
    if (authOptions?.key !== undefined) {
      const other = checkAuthOptions({ key: authOptions.key });
      if (!this.#key || !other || !this.#key.equals(other)) {
        throw new TokensmithError(40102, 'authorize was given a different key than this client was created with', { statusCode: 401 });
      }
    }
    const given = tokenParams === undefined ? undefined : normaliseTokenParams(tokenParams);
    if (authOptions !== undefined) {
      const next = checked(authOptions);
      chooseMethod({ ...next, useTokenAuth: true }, this.#key !== undefined);
      this.#authOptions = next;
    }
    if (given !== undefined) this.#tokenParams = savedParams(given, undefined);
    this.#method = 'token';
    if (authOptions !== undefined || given !== undefined) {
      this.#oneShotParams = given;
      const literal = authOptions === undefined ? undefined : literalToken(authOptions);
      this.#manager = this.#newManager(literal);
      if (literal) return (await this.#manager.getToken()).details;
    }
    return (await this.#manager.getToken({ force: true })).details;
  }

  /**
   * An Ably JWT signed with the key: HS256, `kid` = keyName, `x-ably-capability` and
   * `x-ably-clientId` claims, `iat`/`exp` from `ttl` (default 60 min). Ably accepts it as a token.
   *
   * @example
   * ```ts
   * const jwt = await auth.createJwt({ clientId: 'user-42', capability: { 'chat:*': ['*'] }, ttl: 600_000 });
   * ```
   */
  async createJwt(params?: TokenParams): Promise<string> {
    if (!this.#key) throw new InvalidCredentialsError('createJwt needs a key; none was given');
    const key = this.#key;
    const normalised = params === undefined ? this.#tokenParams : normaliseTokenParams(params);
    const queryTime = this.#authOptions.queryTime === true;
    return signAblyJwt(key, this.#signer, normalised, await this.#localTimestamp(queryTime));
  }

  /** Only public facts: never the key secret or a token. */
  toJSON(): { keyName?: string; clientId: string | null; method: AuthMethod; baseUrl: string } {
    return { ...(this.#key ? { keyName: this.#key.keyName } : {}), clientId: this.clientId, method: this.#method, baseUrl: this.baseUrl };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `AblyAuth ${JSON.stringify(this.toJSON())}`;
  }

  #newManager(literal: TokenDetails | undefined): TokenManager<AblyToken> {
    if (literal) {
      checkClientIdMatch(this.#libraryClientId, literal.clientId);
      this.#tokenClientId = literal.clientId;
    }
    return createTokenManager({
      options: this.#options,
      authOptions: this.#authOptions,
      key: this.#key,
      params: this.#tokenParams,
      baseUrl: this.baseUrl,
      clock: this.#clock,
      literal,
      authTimeoutMs: this.#deps.authTimeoutMs,
      secrets: this.#key?.secrets() ?? [],
      fetchToken: async (signal) => {
        const params = this.#oneShotParams ?? this.#tokenParams;
        this.#oneShotParams = undefined;
        const obtained = await obtainToken(this.#deps, this.#key, this.#authOptions, params, signal);
        checkClientIdMatch(this.#libraryClientId, obtained.details.clientId);
        const expires = obtained.details.expires;
        if (!obtained.fresh && expires !== undefined && expires <= this.#clock.now()) {
          if (!this.#clockKnown && this.#authOptions.queryTime) await this.#resyncClock(signal);
          // With server time known, an expired token is refused before use [RSA4b1]; without it
          // the local clock may be what is wrong, so the token is tried and Ably judges [RSA4b].
          if (this.#clockKnown && expires <= this.#clock.now()) {
            throw new TokenError(40142, 'the authCallback or authUrl gave a token that has already expired', { statusCode: 401 });
          }
          this.#tokenClientId = obtained.details.clientId;
          return { ...obtained, expiry: 'unknown' as const };
        }
        this.#tokenClientId = obtained.details.clientId;
        return { ...obtained, expiry: obtained.fresh ? ('lifetime' as const) : ('absolute' as const) };
      },
    });
  }

  #keyFor(authOptions: AuthOptions | undefined): AblyKey | undefined {
    return (authOptions === undefined ? undefined : checkAuthOptions({ key: authOptions.key })) ?? this.#key;
  }

  /** Server time when known or `queryTime` asks for it (querying `/time` under a timeout), else the clock; sync when no query is needed. */
  #localTimestamp(queryTime: boolean): number | Promise<number> {
    if (!queryTime || this.#clockKnown) return this.#clock.now();
    return this.#withTimeout((signal) => this.#resyncClock(signal), 'GET /time').then(() => this.#clock.now());
  }

  async #timestamp(queryTime: boolean, signal: AbortSignal): Promise<number> {
    if (queryTime && !this.#clockKnown) await this.#resyncClock(signal);
    return this.#clock.now();
  }

  #resyncClock(signal: AbortSignal): Promise<void> {
    this.#clockSync ??= (async () => {
      const hostBefore = this.#clock.now() - this.#clock.offsetMs;
      const serverTime = await fetchServerTime(this.#rest, signal);
      const hostAfter = this.#clock.now() - this.#clock.offsetMs;
      this.#clock.setOffset(serverTime - Math.round((hostBefore + hostAfter) / 2));
      this.#clockKnown = true;
    })().finally(() => {
      this.#clockSync = undefined;
    });
    return this.#clockSync;
  }

  #withTimeout<T>(task: (signal: AbortSignal) => Promise<T>, what: string): Promise<T> {
    return withTimeout(task, this.#deps.authTimeoutMs + 10_000, what);
  }

  #secrets(): string[] {
    const current = this.#manager?.exportState()?.value.token;
    return [...(this.#key?.secrets() ?? []), ...(current ? [current] : [])];
  }
}

function checked(options: AuthOptions): AuthOptions {
  checkAuthOptions(options);
  return { ...options };
}

/** Saved params never keep a timestamp or nonce (single-use); the library clientId fills in an absent one [RSA12a]. */
function savedParams(params: NormalisedTokenParams, clientId: string | undefined): NormalisedTokenParams {
  const { timestamp: _timestamp, nonce: _nonce, ...rest } = params;
  return rest.clientId === undefined && clientId !== undefined ? { ...rest, clientId } : rest;
}
