import { PrintsSafely } from '../core/printable';
import type { Middleware } from 'openapi-fetch';
import { operationSecurity, securitySchemes } from '../../generated/ably.security';
import { SystemClock } from '../core/clock';
import { InvalidArgumentError, InvalidCredentialsError } from '../core/errors';
import { createSchemeMiddleware } from '../core/spec-auth/middleware';
import type { SpecSecurityMap } from '../core/spec-auth/types';
import { withTimeout } from '../core/timeout';
import { checkHttpUrl } from '../core/url';
import { ablyAuthProvider, type AblyAuthProvider, type AblySession } from './auth-provider';
import type { Signer } from './crypto/signer';
import { webSigner } from './crypto/web';
import type { AblyHttp } from './http';
import { signAblyJwt } from './jwt';
import type { AblyKey } from './key';
import { DEFAULT_ABLY_AUTH_OPTIONS, type AblyAuthOptions, type AuthOptions } from './options';
import { revocationAccess } from './revoke-tokens';
import { ServerTime } from './server-time';
import { checkAuthOptions, checkLibraryClientId, chooseMethod, literalToken, type AuthMethod } from './settings';
import { signTokenRequest } from './token-request-signing';
import { normaliseTokenParams, type NormalisedTokenParams } from './token-params';
import { AUTH_TIMEOUT_MARGIN_MS, ablyTokenSource, checkClientIdMatch, type AblyTokenSource, type SourceManagerOptions } from './token-source';
import type { TokenDetails, TokenParams, TokenRequest } from './types';

/**
 * Ably token auth with the official SDK's API (`createTokenRequest`, `requestToken`,
 * `authorize`), on tokensmith's token lifecycle: one fetch however many callers, renewal ahead of
 * expiry, renew-and-retry-once on a rejected token. `auth.middleware` plugs it into any
 * openapi-fetch client; `createAblyClient` does that for you.
 *
 * Each configuration (the constructor's, each `authorize()` with arguments) becomes an immutable
 * token source with its own manager; only the current one's tokens set `clientId` and
 * `tokenDetails`, and a replaced manager is stopped.
 *
 * @example
 * ```ts
 * const auth = new AblyAuth({ key: process.env.ABLY_KEY, useTokenAuth: true, clientId: 'user-42' });
 * const tokenRequest = await auth.createTokenRequest({ capability: { 'chat:*': ['publish'] } });
 * ```
 * @see Ably client spec RSA1–RSA17
 */
export class AblyAuth extends PrintsSafely {
  /** The signer this class binds; the `node` entry's subclass binds the node:crypto one. @internal */
  protected static signer: Signer = webSigner;

  /** openapi-fetch middleware: sets `Authorization` per the generated security map; renews and retries once on 40140–40149. Register it last. */
  readonly middleware: Middleware;
  /** The REST endpoint, without a trailing slash. */
  readonly baseUrl: string;

  readonly #signer: Signer;
  readonly #key: AblyKey | undefined;
  readonly #managerOptions: SourceManagerOptions;
  readonly #libraryClientId: string | undefined;
  readonly #http: AblyHttp;
  readonly #time: ServerTime;
  readonly #authTimeoutMs: number;
  readonly #provider: AblyAuthProvider;
  #authOptions: Readonly<AuthOptions>;
  #tokenParams: NormalisedTokenParams;
  #session: AblySession;

  constructor(options: AblyAuthOptions) {
    super();
    this.#signer = (new.target as unknown as { signer: Signer }).signer;
    const key = (this.#key = checkAuthOptions(options));
    const clientId = (this.#libraryClientId = checkLibraryClientId(options.clientId));
    const method = chooseMethod(options, key !== undefined);
    // The constructor's copy of the options; authorize() replaces #authOptions, never changes this object.
    const copy = (this.#managerOptions = this.#authOptions = { ...options });
    this.#tokenParams = savedParams(normaliseTokenParams(options.defaultTokenParams), clientId);
    this.baseUrl = checkHttpUrl(options.baseUrl ?? DEFAULT_ABLY_AUTH_OPTIONS.baseUrl, 'baseUrl');
    const http = (this.#http = Object.freeze({ baseUrl: this.baseUrl, fetch: options.fetch, secrets: Object.freeze(key?.secrets() ?? []) }));
    this.#time = new ServerTime(new SystemClock(), http);
    const timeoutMs = (this.#authTimeoutMs = options.authTimeoutMs ?? DEFAULT_ABLY_AUTH_OPTIONS.authTimeoutMs) + AUTH_TIMEOUT_MARGIN_MS;
    const session = (this.#session = this.#newSession(method, method === 'token' ? literalToken(copy) : undefined, undefined));
    this.#provider = ablyAuthProvider(session, clientId);
    this.middleware = this.#middleware({ operationSecurity, securitySchemes });
    revocationAccess.set(this, () => (this.#session.method === 'basic' && key ? { http, key, timeoutMs } : undefined));
  }

  /**
   * openapi-fetch middleware for a client of another spec (one `tokensmith generate` made, or a
   * newer Ably spec): this auth's Basic or token credentials on each operation as that spec's
   * security map says, with renew-and-retry-once as {@link AblyAuth.middleware}. Register it last.
   * Basic auth is refused (40103) on any request to plain http other than loopback.
   *
   * @example
   * ```ts
   * import { AblyAuth } from 'tokensmith';
   * import { createApiClient } from 'tokensmith/client';
   * import type { paths } from './generated/ably-rest';
   * import * as security from './generated/ably-rest.security';
   *
   * const auth = new AblyAuth({ key: process.env.ABLY_KEY, useTokenAuth: true });
   * const rest = createApiClient<paths>(security.defaultServerUrl, { middleware: [auth.middlewareFor(security)] });
   * ```
   */
  middlewareFor(security: SpecSecurityMap): Middleware {
    return this.#middleware(security);
  }

  #middleware(security: SpecSecurityMap): Middleware {
    const provider = this.#provider;
    // Any http basic or bearer scheme of the spec, whichever this auth's session uses; an
    // operation missing from the map gets either, as before.
    return createSchemeMiddleware(security, {
      resolve: (_name, _scheme, kind) => (kind === 'basic' || kind === 'bearer' ? provider : undefined),
      // No onUnmet: as before the engine, an operation this auth cannot serve now is sent without
      // credentials, and one the map does not list gets any http bearer or basic scheme.
      logger: this.#managerOptions.logger,
    });
  }

  /**
   * The client's identity [RSA7, RSA12]: the `clientId` option, else the clientId of the current
   * configuration's latest token (`*` for a wildcard token), else null.
   */
  get clientId(): string | null {
    return this.#libraryClientId ?? this.#session.manager.lastObtained()?.details.clientId ?? null;
  }

  /** The token in use, while valid; null with Basic auth or before a token is obtained [RSA16]. */
  get tokenDetails(): TokenDetails | null {
    if (this.#session.method !== 'token') return null;
    return this.#session.manager.exportState()?.value.details ?? null;
  }

  /**
   * Creates and signs a TokenRequest with the key, for a client to exchange without auth [RSA9].
   * `tokenParams` and `authOptions` replace the saved defaults when given.
   *
   * @throws {InvalidCredentialsError} 40101 without a key. {@link InvalidArgumentError} 40012 for
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
    // The common case, without a closure: the timestamp is the clock's reading now.
    const now = (authOptions ?? this.#authOptions).queryTime === true ? () => this.#timestamp(true) : this.#time.clock.now();
    return signTokenRequest(key, this.#signer, params, now);
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
    const source = this.#source(options, params, undefined, this.#keyFor(authOptions));
    const { details } = await this.#withTimeout((signal) => source.obtain(signal), 'requestToken');
    return details;
  }

  /**
   * Obtains a new token and makes it the client's from now on, switching to token auth [RSA10].
   * Given `tokenParams` and `authOptions` replace the saved ones (never merged; a timestamp and a
   * nonce are never saved); the key stays the client's [RSA10i], and a different key is refused
   * with 40102. With arguments, a new source and manager replace the current ones (the old
   * manager is stopped); a call that is overtaken by a later one still resolves with its own
   * token, but only the latest sets `clientId` and `tokenDetails`.
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
        throw new InvalidCredentialsError('authorize was given a different key than this client was created with', { code: 40102 });
      }
    }
    const given = tokenParams === undefined ? undefined : normaliseTokenParams(tokenParams);
    if (authOptions !== undefined) {
      const next = checked(authOptions);
      chooseMethod({ ...next, useTokenAuth: true }, this.#key !== undefined);
      this.#authOptions = next;
    }
    if (given !== undefined) this.#tokenParams = savedParams(given, undefined);
    if (authOptions === undefined && given === undefined) {
      if (this.#session.method !== 'token') this.#switchTo(this.#newSession('token', undefined, undefined));
      return (await this.#session.manager.getToken({ force: true })).details;
    }
    const literal = authOptions === undefined ? undefined : literalToken(authOptions);
    const session = this.#newSession('token', literal, given);
    this.#switchTo(session);
    return (await session.manager.getToken(literal ? undefined : { force: true })).details;
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
    const key = this.#key;
    if (!key) throw new InvalidCredentialsError('createJwt needs a key; none was given');
    const normalised = params === undefined ? this.#tokenParams : normaliseTokenParams(params);
    return signAblyJwt(key, this.#signer, normalised, await this.#timestamp(this.#authOptions.queryTime === true));
  }

  /** Only public facts: never the key secret or a token. */
  toJSON(): { keyName?: string; clientId: string | null; method: AuthMethod; baseUrl: string } {
    const key = this.#key;
    return { ...(key ? { keyName: key.keyName } : {}), clientId: this.clientId, method: this.#session.method, baseUrl: this.baseUrl };
  }

  /** `AblyAuth {…}`: what {@link AblyAuth.toJSON} shows. */
  override toString(): string {
    return `AblyAuth ${JSON.stringify(this.toJSON())}`;
  }


  #source(authOptions: Readonly<AuthOptions>, params: NormalisedTokenParams, firstParams: NormalisedTokenParams | undefined, key = this.#key): AblyTokenSource {
    return ablyTokenSource({
      http: this.#http,
      signer: this.#signer,
      time: this.#time,
      key,
      authOptions,
      params,
      firstParams,
      libraryClientId: this.#libraryClientId,
      authTimeoutMs: this.#authTimeoutMs,
    });
  }

  #newSession(method: AuthMethod, literal: TokenDetails | undefined, firstParams: NormalisedTokenParams | undefined): AblySession {
    if (literal) checkClientIdMatch(this.#libraryClientId, literal.clientId);
    const manager = this.#source(this.#authOptions, this.#tokenParams, firstParams).createManager(this.#managerOptions, literal);
    return Object.freeze({ method, key: this.#key, manager });
  }

  /** Makes `session` the current one: the old manager stops, and every later request uses the new one. */
  #switchTo(session: AblySession): void {
    const old = this.#session;
    this.#session = session;
    this.#provider.use(session);
    old.manager.stop();
  }

  #keyFor(authOptions: AuthOptions | undefined): AblyKey | undefined {
    return (authOptions === undefined ? undefined : checkAuthOptions({ key: authOptions.key })) ?? this.#key;
  }

  /** Server time when known or `queryTime` asks for it (querying `/time` under a timeout), else the clock; sync when no query is needed. */
  #timestamp(queryTime: boolean): number | Promise<number> {
    if (!queryTime || this.#time.known) return this.#time.clock.now();
    return this.#withTimeout((signal) => Promise.resolve(this.#time.timestamp(true, signal)), 'GET /time');
  }

  #withTimeout<T>(task: (signal: AbortSignal) => Promise<T>, what: string): Promise<T> {
    return withTimeout(task, this.#authTimeoutMs + AUTH_TIMEOUT_MARGIN_MS, what);
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
