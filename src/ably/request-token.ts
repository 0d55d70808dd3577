import { AuthProviderError, ConfigurationError, TokensmithError, redact } from '../core/errors';
import { fetchFromAuthUrl } from './auth-url';
import type { Signer } from './crypto/signer';
import type { AblyKey } from './key';
import type { AuthOptions } from './options';
import { exchangeTokenRequest, type AblyRest } from './rest';
import type { NormalisedTokenParams } from './token-params';
import { signTokenRequest } from './token-request';
import { classifyTokenResult, type TokenSourceResult } from './token-result';
import type { TokenDetails, TokenParams } from './types';

/**
 * Obtaining a token by whichever means the options give [RSA8]: authCallback, then authUrl,
 * then the key (sign locally, exchange without auth).
 */

/** What requestToken needs besides the options. */
export interface TokenSourceDeps {
  rest: AblyRest;
  signer: Signer;
  /** Longest an authCallback or authUrl may take. */
  authTimeoutMs: number;
  /** Timestamp for a TokenRequest: server time when `queryTime` (querying `/time` once), else the clock. */
  timestamp(queryTime: boolean, signal: AbortSignal): Promise<number>;
  /** Queries `GET /time` and keeps the offset, whatever was known before. */
  resyncClock(signal: AbortSignal): Promise<void>;
}

/** A token and whether Ably issued it just now (so its lifetime can be counted from the send). */
export interface ObtainedToken {
  details: TokenDetails;
  fresh: boolean;
}

/**
 * Obtains a token. With the key, a 40104 (timestamp not current) from Ably is healed once: the
 * clock offset is re-read from `/time` and the request re-signed — unless the caller fixed the
 * timestamp.
 *
 * @throws {TokensmithError} 40171 when the options hold no means to obtain a token; 40170 for an
 * authCallback or authUrl that fails, hangs past `authTimeoutMs` or answers something unusable;
 * Ably's own code when the exchange is refused.
 */
export async function obtainToken(
  deps: TokenSourceDeps,
  key: AblyKey | undefined,
  options: Readonly<AuthOptions>,
  params: NormalisedTokenParams,
  signal: AbortSignal,
): Promise<ObtainedToken> {
  let result: TokenSourceResult;
  if (options.authCallback) {
    const callback = options.authCallback;
    const value = await withAuthTimeout(() => callCallback(callback, params, deps.rest.secrets()), deps.authTimeoutMs, 'authCallback', signal);
    result = classifyTokenResult(value, 'authCallback');
  } else if (options.authUrl) {
    const authUrl = options.authUrl;
    result = await withAuthTimeout(
      (timeoutSignal) =>
        fetchFromAuthUrl(
          { authUrl, authMethod: options.authMethod, authHeaders: options.authHeaders, authParams: options.authParams, tokenParams: params },
          deps.rest.fetch,
          timeoutSignal,
          deps.rest.secrets(),
        ),
      deps.authTimeoutMs,
      'authUrl',
      signal,
    );
  } else if (key) {
    return { details: await exchangeSignedLocally(deps, key, options, params, signal), fresh: true };
  } else {
    throw new ConfigurationError(40171, 'a new token is needed but there is no key, authCallback or authUrl to obtain one');
  }
  if (result.kind === 'details') return { details: result.details, fresh: false };
  return { details: await exchangeTokenRequest(deps.rest, result.request, signal), fresh: true };
}

async function exchangeSignedLocally(
  deps: TokenSourceDeps,
  key: AblyKey,
  options: Readonly<AuthOptions>,
  params: NormalisedTokenParams,
  signal: AbortSignal,
): Promise<TokenDetails> {
  const sign = () => signTokenRequest(key, deps.signer, params, () => deps.timestamp(options.queryTime === true, signal));
  try {
    return await exchangeTokenRequest(deps.rest, await sign(), signal);
  } catch (error) {
    if (!(error instanceof TokensmithError) || error.code !== 40104 || params.timestamp !== undefined) throw error;
    await deps.resyncClock(signal);
    return exchangeTokenRequest(deps.rest, await sign(), signal);
  }
}

async function callCallback(callback: NonNullable<AuthOptions['authCallback']>, params: NormalisedTokenParams, secrets: readonly string[]): Promise<unknown> {
  try {
    return await callback({ ...params } as TokenParams);
  } catch (error) {
    throw callbackFailure(error, secrets);
  }
}

/** A thrown TokensmithError keeps its code; an error-like object with an Ably code keeps it; anything else is 40170. */
function callbackFailure(error: unknown, secrets: readonly string[]): TokensmithError {
  if (error instanceof TokensmithError) return error;
  const message = redact(error instanceof Error ? error.message : String(error), secrets);
  const { code, statusCode } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; statusCode?: unknown };
  const ablyCode = typeof code === 'number' && code >= 40000 && code < 60000 ? code : 40170;
  return new AuthProviderError(ablyCode, `authCallback failed: ${message}`, typeof statusCode === 'number' ? { statusCode } : {});
}

/**
 * Runs `task` with a signal that aborts when `outer` does or after `timeoutMs`; at the timeout it
 * rejects with 40170 even if the task ignores its signal.
 */
async function withAuthTimeout<T>(task: (signal: AbortSignal) => Promise<T>, timeoutMs: number, what: string, outer: AbortSignal): Promise<T> {
  if (outer.aborted) throw outer.reason;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new AuthProviderError(40170, `${what} did not complete within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    onAbort = () => {
      controller.abort(outer.reason);
      reject(outer.reason);
    };
    outer.addEventListener('abort', onAbort, { once: true });
  });
  const running = task(controller.signal);
  running.catch(() => undefined);
  try {
    return await Promise.race([running, stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort) outer.removeEventListener('abort', onAbort);
  }
}
