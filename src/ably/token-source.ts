import { base64FromUtf8 } from '../core/base64';
import { AuthProviderError, ConfigurationError, InvalidCredentialsError, TokenError, TokensmithError } from '../core/errors';
import { kitOf } from '../core/store-key';
import type { TokenLike } from '../core/store';
import { withTimeout } from '../core/timeout';
import { TokenManager } from '../core/token-manager';
import { fetchFromAuthUrl } from './auth-url';
import type { Signer } from './crypto/signer';
import { exchangeTokenRequest, type AblyHttp } from './http';
import type { AblyKey } from './key';
import type { AblyAuthOptions, AuthOptions } from './options';
import type { ServerTime } from './server-time';
import type { NormalisedTokenParams } from './token-params';
import { signTokenRequest } from './token-request-signing';
import { callCallback, classifyTokenResult, type TokenSourceResult } from './token-result';
import type { TokenDetails } from './types';

/**
 * One configuration's way of obtaining Ably tokens [RSA8]: authCallback, else authUrl, else the
 * key (sign locally, exchange without auth). Each `AblyAuth` configuration (the constructor's,
 * each `authorize()` with arguments) gets its own immutable source and the manager built on it;
 * nothing here reads or writes `AblyAuth`, so a replaced source cannot touch the new state.
 */

/** Margin of the whole-attempt timeout over `authTimeoutMs` (the authCallback/authUrl step's own, 40170). */
export const AUTH_TIMEOUT_MARGIN_MS = 10_000;

/** What the token manager holds for Ably: the details and the header value, built once per token. */
export interface AblyToken extends TokenLike {
  /** The TokenDetails as obtained. */
  details: TokenDetails;
  /** `Bearer base64(token)`, so the warm path only reads a string. */
  authorization: string;
}

/** A token and whether Ably issued it just now (so its lifetime can be counted from the send). */
export interface ObtainedToken {
  details: TokenDetails;
  fresh: boolean;
}

/** Everything a source is built from; shared parts (`http`, `time`, `signer`) belong to the client. */
export interface TokenSourceSetup {
  http: AblyHttp;
  signer: Signer;
  time: ServerTime;
  key: AblyKey | undefined;
  authOptions: Readonly<AuthOptions>;
  params: NormalisedTokenParams;
  /** Params for the first fetch only (authorize's, timestamp and nonce included). */
  firstParams?: NormalisedTokenParams | undefined;
  libraryClientId: string | undefined;
  authTimeoutMs: number;
}

/** Options of the manager a source builds, from the client's options. */
export type SourceManagerOptions = Pick<
  AblyAuthOptions,
  'store' | 'lock' | 'refreshMarginMs' | 'forcedRefreshWindowMs' | 'onAuthError' | 'logger' | 'onTokenEvent' | 'acquireTimeoutMs'
>;

/** An immutable token source: one configuration's options and params. */
export class AblyTokenSource {
  readonly #setup: Readonly<TokenSourceSetup>;
  /** The key secret plus the authUrl's query values, authParams and authHeaders: scrubbed from every message. */
  readonly #secrets: readonly string[];
  /** authorize's params, used by the first fetch only (a timestamp and nonce are single use). */
  #firstParams: NormalisedTokenParams | undefined;

  constructor(setup: TokenSourceSetup) {
    this.#setup = Object.freeze({ ...setup, authOptions: Object.freeze({ ...setup.authOptions }) });
    this.#firstParams = setup.firstParams;
    this.#secrets = Object.freeze([...setup.http.secrets, ...authUrlSecrets(setup.authOptions)]);
  }

  /**
   * A manager fetching through this source, serving `literal` (option `token`/`tokenDetails`)
   * until it expires or is rejected.
   */
  createManager(options: SourceManagerOptions, literal?: TokenDetails): TokenManager<AblyToken> {
    const clock = this.#setup.time.clock;
    // Every manager option accepts undefined as absent: picked by name, never spread, so no other option slips in.
    const { lock, refreshMarginMs, forcedRefreshWindowMs, onAuthError, logger, onTokenEvent, acquireTimeoutMs } = options;
    return new TokenManager<AblyToken>({
      fetchToken: (signal) => this.fetchToken(signal),
      clock,
      fetchTimeoutMs: this.#setup.authTimeoutMs + AUTH_TIMEOUT_MARGIN_MS,
      secrets: this.#secrets,
      provider: 'ably',
      lock,
      refreshMarginMs,
      forcedRefreshWindowMs,
      onAuthError,
      logger,
      onTokenEvent,
      acquireTimeoutMs,
      ...(options.store ? { store: options.store, storeKey: this.#storeKey(options.store) } : {}),
      ...(literal
        ? {
            initialState: {
              value: toAblyToken(literal, 'absolute'),
              obtainedAt: clock.now(),
              ...(literal.expires !== undefined ? { expiresAt: literal.expires } : {}),
            },
          }
        : {}),
    });
  }

  /**
   * The manager's `fetchToken`: obtains a token, checks its clientId [RSA15], and decides how its
   * expiry is tracked. A token Ably has just issued counts its lifetime (`expires - issued`) from
   * the send, so host clock skew does not matter; one handed over by an authCallback or authUrl
   * may be old, so its `expires` is taken as is, and one already expired by a clock that is not
   * known to be right is tried and left to Ably to judge [RSA4b].
   */
  async fetchToken(signal: AbortSignal): Promise<AblyToken> {
    const params = this.#firstParams ?? this.#setup.params;
    this.#firstParams = undefined;
    const obtained = await this.obtain(signal, params);
    const { details } = obtained;
    checkClientIdMatch(this.#setup.libraryClientId, details.clientId);
    if (obtained.fresh || details.expires === undefined) return toAblyToken(details, obtained.fresh ? 'lifetime' : 'absolute');
    const { time, authOptions } = this.#setup;
    if (details.expires > time.clock.now()) return toAblyToken(details, 'absolute');
    if (!time.known && authOptions.queryTime) await time.resync(signal);
    // With server time known, an expired token is refused before use [RSA4b1].
    if (time.known && details.expires <= time.clock.now()) {
      throw new TokenError(40142, 'the authCallback or authUrl gave a token that has already expired', { statusCode: 401 });
    }
    return toAblyToken(details, 'unknown');
  }

  /**
   * Obtains a token with `params`. With the key, a 40104 (timestamp not current) from Ably is
   * healed once: the clock offset is re-read from `/time` and the request re-signed, unless the
   * caller fixed the timestamp.
   *
   * @throws {ConfigurationError} 40171 when there is no means to obtain a token;
   * {@link AuthProviderError} 40170 for an authCallback or authUrl that fails, hangs past
   * `authTimeoutMs` or answers something unusable; Ably's code when the exchange is refused.
   */
  async obtain(signal: AbortSignal, params: NormalisedTokenParams = this.#setup.params): Promise<ObtainedToken> {
    const { authOptions, key, http, authTimeoutMs } = this.#setup;
    const secrets = this.#secrets;
    let result: TokenSourceResult;
    if (authOptions.authCallback) {
      const callback = authOptions.authCallback;
      const value = await withTimeout(() => callCallback(callback, params, secrets), authTimeoutMs, 'authCallback', {
        outer: signal,
        timeoutError: sourceTimeout,
      });
      result = classifyTokenResult(value, 'authCallback');
    } else if (authOptions.authUrl) {
      const request = { ...authOptions, authUrl: authOptions.authUrl, tokenParams: params };
      result = await withTimeout((inner) => fetchFromAuthUrl(request, http.fetch, inner, secrets), authTimeoutMs, 'authUrl', {
        outer: signal,
        timeoutError: sourceTimeout,
      });
    } else if (key) {
      return { details: await this.#exchangeSignedLocally(key, params, signal), fresh: true };
    } else {
      throw new ConfigurationError(40171, 'a new token is needed but there is no key, authCallback or authUrl to obtain one');
    }
    if (result.kind === 'details') return { details: result.details, fresh: false };
    return { details: await exchangeTokenRequest(http, result.request, signal), fresh: true };
  }

  async #exchangeSignedLocally(key: AblyKey, params: NormalisedTokenParams, signal: AbortSignal): Promise<TokenDetails> {
    const { http, signer, time, authOptions } = this.#setup;
    const queryTime = authOptions.queryTime === true;
    const now = queryTime ? () => time.timestamp(true, signal) : () => time.clock.now();
    const sign = () => signTokenRequest(key, signer, params, now);
    try {
      return await exchangeTokenRequest(http, await sign(), signal);
    } catch (error) {
      if (!(error instanceof TokensmithError) || error.code !== 40104 || params.timestamp !== undefined) throw error;
      await time.resync(signal);
      return exchangeTokenRequest(http, await sign(), signal);
    }
  }

  /** The store identity: public parts only (keyName, the authUrl without its query, token params). */
  #storeKey(store: unknown): string {
    const { authOptions, key, params, http } = this.#setup;
    let source: string;
    if (authOptions.authCallback) {
      throw new ConfigurationError(40003, '"store" needs a key or authUrl to identify the credential; an authCallback has no stable identity');
    } else if (authOptions.authUrl) {
      const url = new URL(authOptions.authUrl);
      source = `${url.origin}${url.pathname}`;
    } else if (key) {
      source = key.keyName;
    } else {
      throw new ConfigurationError(40003, '"store" needs a key or authUrl to identify the credential');
    }
    return kitOf(store).identity({ provider: 'ably', baseUrl: http.baseUrl, source, ttl: params.ttl, capability: params.capability, clientId: params.clientId });
  }
}

/**
 * How a token's expiry is tracked: `lifetime` (`expires - issued` counted from the send; for a
 * token Ably has just issued), `absolute` (`expires` as is), `unknown` (used until rejected).
 */
export type ExpiryMode = 'lifetime' | 'absolute' | 'unknown';

/** Wraps TokenDetails for the manager, with the header value built once. */
export function toAblyToken(details: TokenDetails, expiry: ExpiryMode): AblyToken {
  const expires = expiry === 'unknown' ? undefined : details.expires;
  return {
    token: details.token,
    ...(expires !== undefined ? { expiresAt: expires } : {}),
    ...(expiry === 'lifetime' && details.issued !== undefined && expires !== undefined ? { issuedAt: details.issued } : {}),
    details,
    authorization: `Bearer ${base64FromUtf8(details.token)}`,
  };
}

/**
 * Throws 40102 when a token's clientId is incompatible with the library's [RSA15a, RSA15c]; a
 * wildcard token, or either side absent, is compatible [RSA15b].
 */
export function checkClientIdMatch(libraryClientId: string | undefined, tokenClientId: string | undefined): void {
  if (libraryClientId && tokenClientId && tokenClientId !== '*' && tokenClientId !== libraryClientId) {
    throw new InvalidCredentialsError('the token is bound to a different clientId than this client', { code: 40102 });
  }
}

/** Values an authUrl request carries that may be credentials of their own (a session id, a bearer header). */
function authUrlSecrets(options: Readonly<AuthOptions>): string[] {
  if (!options.authUrl) return [];
  const url = new URL(options.authUrl);
  // Raw and decoded: '+' and %-escapes differ between what was typed and what a server echoes.
  const values = [...url.searchParams.values(), ...url.search.slice(1).split('&').map((pair) => pair.slice(pair.indexOf('=') + 1))];
  for (const record of [options.authParams, options.authHeaders]) if (record) values.push(...Object.values(record).map(String));
  return values;
}

function sourceTimeout(what: string, timeoutMs: number): TokensmithError {
  return new AuthProviderError(40170, `${what} did not complete within ${timeoutMs} ms`);
}
