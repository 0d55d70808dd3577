import { AuthProviderError, TokensmithError, redact } from '../core/errors';
import { MAX_TOKEN_RESPONSE_BYTES } from '../core/http';
import { tokenDetailsFrom } from './http';
import type { AuthOptions } from './options';
import type { NormalisedTokenParams } from './token-params';
import type { TokenDetails, TokenParams, TokenRequest } from './types';

/**
 * What an authCallback or authUrl produced, checked and classified [RSA8c, RSA8d]; calling the
 * authCallback.
 */

/** A token ready to use, or a TokenRequest still to be exchanged. */
export type TokenSourceResult = { kind: 'details'; details: TokenDetails } | { kind: 'request'; request: TokenRequest };

/**
 * Classifies a callback or authUrl result: a token string, a TokenDetails (has `issued`, or at
 * least `token`) or a TokenRequest (has `keyName` and no `token`).
 *
 * @param isJwt true when an authUrl labelled the text `application/jwt`, so a leading `{` is not
 * taken for double-encoded JSON.
 * @throws {AuthProviderError} 40170 for an empty string, `'null'`/`'undefined'`, double-encoded
 * JSON, more than 64 KiB, or anything that is neither a string nor such an object.
 */
export function classifyTokenResult(value: unknown, source: string, isJwt = false): TokenSourceResult {
  if (typeof value === 'string') return { kind: 'details', details: { token: checkTokenString(value, source, isJwt) } };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw unusable(source, `${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}; expected a token string, TokenDetails or TokenRequest`);
  }
  let size: number;
  try {
    size = JSON.stringify(value).length;
  } catch {
    throw unusable(source, 'an object that cannot be serialised');
  }
  if (size > MAX_TOKEN_RESPONSE_BYTES) throw unusable(source, `an object larger than ${MAX_TOKEN_RESPONSE_BYTES} bytes`);
  const record = value as Record<string, unknown>;
  if ('issued' in record || 'token' in record) {
    if (typeof record.token !== 'string' || record.token === '') throw unusable(source, 'a TokenDetails without a token');
    return { kind: 'details', details: tokenDetailsFrom(record) };
  }
  if ('keyName' in record) {
    const { keyName, timestamp, nonce, mac } = record;
    if (typeof keyName !== 'string' || typeof timestamp !== 'number' || typeof nonce !== 'string' || typeof mac !== 'string') {
      throw unusable(source, 'a TokenRequest missing keyName, timestamp, nonce or mac');
    }
    return { kind: 'request', request: record as unknown as TokenRequest };
  }
  throw unusable(source, 'an object with neither an issued nor a keyName field; expected TokenDetails or TokenRequest');
}

function checkTokenString(token: string, source: string, isJwt: boolean): string {
  if (token.length === 0) throw unusable(source, 'an empty token string');
  if (token.length > MAX_TOKEN_RESPONSE_BYTES) throw unusable(source, `a token string longer than ${MAX_TOKEN_RESPONSE_BYTES} bytes`);
  if (token === 'null' || token === 'undefined') throw unusable(source, `the literal string '${token}' instead of a token`);
  if (token[0] === '{' && !isJwt) throw unusable(source, 'double-encoded JSON; return the object itself');
  return token;
}

function unusable(source: string, what: string): AuthProviderError {
  return new AuthProviderError(40170, `${source} gave ${what}`);
}

/** Calls the authCallback with a copy of the params; what it throws becomes a typed, redacted error. */
export async function callCallback(callback: NonNullable<AuthOptions['authCallback']>, params: NormalisedTokenParams, secrets: readonly string[]): Promise<unknown> {
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
