import { base64FromUtf8 } from '../core/base64';
import {
  AuthProviderError,
  InvalidArgumentError,
  InvalidCredentialsError,
  RateLimitError,
  ServerError,
  TokensmithError,
  redact,
  type TokensmithErrorOptions,
} from '../core/errors';
import { readBodyText, send } from '../core/http';
import { parseRetryAfterMs } from '../core/retry-after';
import type { OAuth2ClientAuthMethod, OAuth2Token } from './types';

/**
 * One token request to an OAuth2 token endpoint (RFC 6749 §4.4, §6): the form, the client
 * authentication, a bounded read of the answer, and one mapping of every failure to a typed error
 * that keeps the RFC 6749 §5.2 error as `upstream.error` and never quotes a secret.
 */

/** The client authentication of a token request. */
export interface OAuth2ClientAuth {
  readonly clientId: string;
  /** Absent for a public client (refresh only): then `client_id` goes in the body. */
  readonly clientSecret?: string | undefined;
  readonly method: OAuth2ClientAuthMethod;
}

/** What {@link requestToken} needs. */
export interface TokenRequest {
  /** Absolute token endpoint URL. */
  readonly url: string;
  /** Grant parameters: `grant_type` and the rest; client authentication is added. */
  readonly params: Readonly<Record<string, string>>;
  readonly client: OAuth2ClientAuth;
  readonly fetch?: typeof globalThis.fetch | undefined;
  readonly signal: AbortSignal;
  /** When the request was sent, in clock time; `expires_in` counts from it. */
  readonly sentAt: number;
  /** Strings that must never appear in an error: the client secret, refresh tokens. */
  readonly secrets: readonly (string | undefined)[];
  /** Names the endpoint in messages, e.g. `OAuth2 token endpoint (scheme "oauth")`. */
  readonly what: string;
}

const MAX_QUOTED_CHARS = 200;
const CREDENTIAL_ERRORS = /* @__PURE__ */ new Set(['invalid_client', 'unauthorized_client', 'invalid_grant']);

/** RFC 6749 §2.3.1: the client id and secret are form-encoded before Basic's base64. */
export function clientSecretBasic(clientId: string, clientSecret: string): string {
  return `Basic ${base64FromUtf8(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/**
 * Sends the token request and reads the answer.
 *
 * @throws {InvalidCredentialsError} 40101 for `invalid_client`, `unauthorized_client` or
 * `invalid_grant` (final); {@link InvalidArgumentError} 40003 for `invalid_scope`, 40000 for
 * another 4xx; {@link RateLimitError} for 429; {@link ServerError} 50000 for 5xx;
 * {@link TransportError} 80000 for a network failure; {@link AuthProviderError} 50002 for a 2xx
 * that is not a bearer token response.
 */
export async function requestToken(request: TokenRequest): Promise<OAuth2Token> {
  const { client } = request;
  const body = new URLSearchParams(request.params);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  let basic: string | undefined;
  if (client.method === 'client_secret_basic' && client.clientSecret !== undefined) {
    basic = clientSecretBasic(client.clientId, client.clientSecret);
    headers.authorization = basic;
  } else {
    body.set('client_id', client.clientId);
    if (client.clientSecret !== undefined) body.set('client_secret', client.clientSecret);
  }
  const secrets = [...request.secrets, client.clientSecret, basic, body.toString()];
  const response = await send(request.fetch, request.url, { method: 'POST', headers, body: body.toString(), signal: request.signal, redirect: 'error' }, request.what, secrets);
  const text = await readBodyText(response, `${request.what} answer`);
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) throw tokenEndpointError(response.status, response.headers, json, request.what, secrets);
  return tokenFromAnswer(json, request.sentAt, request.what);
}

/** Reads a §5.1 answer: `access_token`, `token_type` Bearer, optional `expires_in`, `scope`, `refresh_token`. */
function tokenFromAnswer(json: unknown, sentAt: number, what: string): OAuth2Token {
  const answer = (json !== null && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const { access_token: token, token_type: type, expires_in: expiresIn, scope, refresh_token: refreshToken } = answer;
  if (typeof token !== 'string' || token === '') throw new AuthProviderError(50002, `${what} answered 2xx without an access_token string`);
  if (typeof type !== 'string' || type.toLowerCase() !== 'bearer') {
    throw new AuthProviderError(50002, `${what} answered token_type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 20)) : 'missing'}; tokensmith sends Bearer tokens only`);
  }
  const seconds = typeof expiresIn === 'string' && /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  if (seconds !== undefined && (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0)) {
    throw new AuthProviderError(50002, `${what} answered an expires_in that is not a positive number of seconds`);
  }
  return {
    token,
    ...(typeof seconds === 'number' ? { expiresAt: sentAt + seconds * 1000 } : {}),
    ...(typeof scope === 'string' ? { scope } : {}),
    ...(typeof refreshToken === 'string' && refreshToken !== '' ? { refreshToken } : {}),
  };
}

/** The typed error for a non-2xx token answer; `json` is its parsed body, if it was JSON. */
export function tokenEndpointError(status: number, headers: Headers, json: unknown, what: string, secrets: readonly (string | undefined)[]): TokensmithError {
  const body = (json !== null && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const error = typeof body.error === 'string' && /^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/.test(body.error) ? body.error : undefined;
  const description = typeof body.error_description === 'string' ? shorten(redact(body.error_description, secrets)) : undefined;
  const detail = `${error === undefined ? '' : ` ${error}`}${description === undefined ? '' : `: ${description}`}`;
  const options: TokensmithErrorOptions = { statusCode: status, upstream: { status, ...(error === undefined ? {} : { error }) } };
  const answered = `${what} answered HTTP ${status}${detail}`;
  if (status === 429) return new RateLimitError(answered, parseRetryAfterMs(headers.get('retry-after')), options);
  if (status >= 500) return new ServerError(50000, answered, { ...options, retryAfterMs: parseRetryAfterMs(headers.get('retry-after')) });
  if ((error !== undefined && CREDENTIAL_ERRORS.has(error)) || (error === undefined && (status === 401 || status === 403))) {
    const refused = error === 'invalid_grant' ? 'the grant (refresh token)' : 'the client credentials';
    return new InvalidCredentialsError(`${what} refused ${refused} (HTTP ${status}${detail}); check the client id and secret`, options);
  }
  if (error === 'invalid_scope') {
    return new InvalidArgumentError(40003, `${what} refused the requested scopes (HTTP ${status}${detail}); ask only for scopes the client is allowed`, options);
  }
  if (status >= 400 && status < 500) return new InvalidArgumentError(40000, answered, options);
  return new AuthProviderError(50002, `${what} answered an unexpected status ${status}`, options);
}

function shorten(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
}
