import { AuthProviderError } from '../core/errors';
import { MAX_TOKEN_RESPONSE_BYTES, readBodyText, send } from '../core/http';
import { errorFromResponse } from '../core/response-error';
import { decodeMsgpack } from './msgpack-decode';
import type { NormalisedTokenParams } from './token-params';
import { classifyTokenResult, type TokenSourceResult } from './token-result';

/**
 * Fetching a token (or TokenRequest) from an authUrl [RSA8c].
 */

/** What the authUrl request is built from. */
export interface AuthUrlRequest {
  /** The authUrl; its own query parameters are kept on every request. */
  authUrl: string;
  /** `GET` (default; parameters in the query) or `POST` (parameters form-encoded in the body). */
  authMethod?: string | undefined;
  /** Headers sent to the authUrl. */
  authHeaders?: Readonly<Record<string, string>> | undefined;
  /** Parameters sent to the authUrl, over the URL's own query and under the token params. */
  authParams?: Readonly<Record<string, string>> | undefined;
  /** Token params, sent as parameters too (capability as canonical JSON). */
  tokenParams: NormalisedTokenParams;
}

/**
 * Requests a token from the authUrl and classifies the answer: `text/plain` or `application/jwt`
 * is a token string; `application/json` a TokenDetails, a TokenRequest, or a JSON string token.
 *
 * Parameter precedence: the URL's own query < `authParams` < token params. With `POST` the URL's
 * query stays on the URL and the rest goes form-encoded in the body. The stored URL is never
 * rewritten, so its query survives every retry.
 *
 * @throws {AuthProviderError} 40170 for a 4xx answer (the endpoint's status and code kept as
 * `upstream`), a missing or other Content-Type, an empty, `null` or unparsable body;
 * `ResponseTooLargeError` 40170 for one over 64 KiB. `ServerError` 40170 for a 5xx and
 * `RateLimitError` 42910 for a 429, both with the `Retry-After` wait, so they are retried (or given
 * up at once past `maxDelayMs`). `TransportError` 80000 when the authUrl cannot be reached.
 */
export async function fetchFromAuthUrl(
  request: AuthUrlRequest,
  fetchImpl: typeof globalThis.fetch | undefined,
  signal: AbortSignal,
  secrets: readonly string[],
): Promise<TokenSourceResult> {
  const url = new URL(request.authUrl);
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request.authParams ?? {})) params.set(name, String(value));
  for (const [name, value] of Object.entries(request.tokenParams)) if (value !== undefined) params.set(name, String(value));
  const post = request.authMethod?.toUpperCase() === 'POST';
  const headers = new Headers({ accept: 'application/json, text/plain' });
  for (const [name, value] of Object.entries(request.authHeaders ?? {})) headers.set(name, value);
  let init: RequestInit;
  if (post) {
    headers.set('content-type', 'application/x-www-form-urlencoded');
    init = { method: 'POST', headers, body: params.toString(), signal };
  } else {
    for (const [name, value] of params) url.searchParams.set(name, value);
    init = { method: 'GET', headers, signal };
  }

  const response = await send(fetchImpl, url.href, init, 'authUrl', secrets);
  if (!response.ok) {
    throw await errorFromResponse(response, { what: 'authUrl', secrets, refused: 'credentials', fixedCode: 40170, decodeMsgpack });
  }

  const contentType = (response.headers.get('content-type') ?? '').toLowerCase();
  const isJson = contentType.includes('application/json');
  const isJwt = contentType.includes('application/jwt');
  if (!isJson && !isJwt && !contentType.includes('text/plain')) {
    await response.body?.cancel().catch(() => undefined);
    const answered = contentType ? `Content-Type ${contentType.split(';')[0]}` : 'without a Content-Type';
    throw new AuthProviderError(40170, `authUrl answered ${answered}; expected application/json, text/plain or application/jwt`);
  }
  const text = await readBodyText(response, 'authUrl answer', MAX_TOKEN_RESPONSE_BYTES, 40170);
  if (!isJson) return classifyTokenResult(text.trim(), 'authUrl', isJwt);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AuthProviderError(40170, text.trim() === '' ? 'authUrl answered an empty body' : 'authUrl answered invalid JSON');
  }
  return classifyTokenResult(body, 'authUrl');
}
