import { ConfigurationError, InvalidArgumentError } from '../core/errors';
import { checkHttpUrl } from '../core/url';
import { AblyKey } from './key';
import type { AblyAuthOptions, AuthOptions } from './options';
import type { TokenDetails } from './types';

/**
 * Checking AblyAuth options and choosing the auth method [RSA1–RSA4, RSA7, RSA15].
 */

/** `basic`: the key in every request. `token`: bearer tokens. */
export type AuthMethod = 'basic' | 'token';

/**
 * The method the options ask for [RSA4]: token auth when `useTokenAuth` is true, or when it is not
 * `false` and a token, tokenDetails, authCallback or authUrl is given; else Basic with the key.
 *
 * @throws {ConfigurationError} 40106 when the chosen method has nothing to work with.
 */
export function chooseMethod(options: Readonly<AuthOptions>, hasKey: boolean): AuthMethod {
  const tokenHints = Boolean(options.authCallback || options.authUrl || options.token || options.tokenDetails);
  const token = options.useTokenAuth === true || (options.useTokenAuth !== false && tokenHints);
  if (token) {
    if (!hasKey && !tokenHints) throw noMeans(options, 'useTokenAuth needs a key, token, tokenDetails, authCallback or authUrl');
    return 'token';
  }
  if (!hasKey) throw noMeans(options, 'no key, token, tokenDetails, authCallback or authUrl given');
  return 'basic';
}

/** Checks the parts of AuthOptions that can be wrong on their own; returns the parsed key, if any. */
export function checkAuthOptions(options: Readonly<AuthOptions>): AblyKey | undefined {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(40003, '"options" must be an object');
  if (options.authCallback !== undefined && typeof options.authCallback !== 'function') {
    throw new InvalidArgumentError(40003, '"authCallback" must be a function');
  }
  if (options.authUrl !== undefined) checkHttpUrl(options.authUrl, 'authUrl');
  if (options.authMethod !== undefined && !['GET', 'POST'].includes(String(options.authMethod).toUpperCase())) {
    throw new InvalidArgumentError(40003, '"authMethod" must be GET or POST');
  }
  if (options.token !== undefined && typeof options.token !== 'string') checkTokenDetails(options.token, 'token');
  if (options.tokenDetails !== undefined) checkTokenDetails(options.tokenDetails, 'tokenDetails');
  return options.key === undefined ? undefined : AblyKey.parse(options.key);
}

/** The literal token the options carry, if any: `token` (string or TokenDetails) wins over `tokenDetails`. */
export function literalToken(options: Readonly<AuthOptions>): TokenDetails | undefined {
  if (typeof options.token === 'string') return { token: options.token };
  return options.token ?? options.tokenDetails;
}

/**
 * The library clientId [RSA7a, RSA7c]: a non-empty string other than `*`, or undefined.
 * @throws {ConfigurationError} 40012 otherwise.
 */
export function checkLibraryClientId(clientId: AblyAuthOptions['clientId']): string | undefined {
  if (clientId === undefined || clientId === null) return undefined;
  if (typeof clientId !== 'string' || clientId === '') throw new InvalidArgumentError(40012, '"clientId" must be a non-empty string');
  if (clientId === '*') {
    throw new InvalidArgumentError(40012, '"clientId" cannot be "*"; request a wildcard token with defaultTokenParams: { clientId: "*" } instead');
  }
  return clientId;
}

function checkTokenDetails(details: unknown, name: string): void {
  const token = (details as { token?: unknown } | null)?.token;
  if (typeof token !== 'string' || token === '') throw new InvalidArgumentError(40003, `"${name}" must be a token string or a TokenDetails with a token`);
}

/**
 * 40106. Means given but `undefined` (typically `key: process.env.ABLY_KEY` with the variable
 * unset) are named first, since that is the likely fix.
 */
function noMeans(options: Readonly<AuthOptions>, detail: string): ConfigurationError {
  const unset = (['key', 'token', 'tokenDetails', 'authCallback', 'authUrl'] as const).filter((name) => name in options && options[name] === undefined);
  return new ConfigurationError(40106, `cannot authenticate: ${unset.length ? `${unset.join(', ')} undefined (an unset environment variable?); ` : ''}${detail}`);
}
