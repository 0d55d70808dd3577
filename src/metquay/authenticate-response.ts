import type { components } from '../../generated/metquay';
import { AuthProviderError, InvalidCredentialsError, RateLimitError, TokensmithError, redact } from '../core/errors';
import { parseRetryAfterMs } from '../core/retry-after';

/** The body of a successful `POST /authenticate`, as the spec defines it. */
export type AuthenticationResponse = components['schemas']['AuthenticationResponse'];

/** Larger answers are refused unread beyond this (an auth answer is a few hundred bytes). */
const MAX_BODY_CHARS = 64 * 1024;

/**
 * Turns the HTTP answer of `POST /authenticate` into an {@link AuthenticationResponse}, or throws
 * the typed error that says what went wrong. Messages name fields and statuses, never values from
 * the body; `secrets` are scrubbed from any server message that is quoted.
 *
 * - 200 with a well-formed body: the response.
 * - 200 breaking the contract (empty, not JSON, HTML, no `accessToken`, wrong types):
 *   `AuthProviderError` 50002 (transient: a proxy's error page may pass).
 * - 401: `InvalidCredentialsError` 40101, final. 400: `TokensmithError` 40001, final.
 * - 429: `RateLimitError` with the `Retry-After` wait. 5xx: `AuthProviderError` 50000, transient.
 */
export async function readAuthenticationResponse(
  response: Response,
  secrets: readonly string[],
  nowMs: number,
): Promise<AuthenticationResponse> {
  const { status } = response;
  const text = await response.text();
  if (status === 200) return parseSuccess(text, response.headers.get('content-type'));
  const serverMessage = errorMessageOf(text, secrets);
  const said = serverMessage ? `: ${serverMessage}` : '';
  if (status === 401) {
    throw new InvalidCredentialsError(`Metquay refused the access key pair (401 from /authenticate)${said}`, { statusCode: 401 });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), nowMs);
    throw new RateLimitError(`Metquay rate limited /authenticate (429)${said}`, retryAfterMs, { statusCode: 429 });
  }
  if (status === 400) throw new TokensmithError(40001, `Metquay rejected the authenticate request (400)${said}`, { statusCode: 400 });
  if (status >= 500) throw new AuthProviderError(50000, `Metquay /authenticate failed (${status})${said}`, { statusCode: status });
  throw new AuthProviderError(50002, `Metquay /authenticate answered an unexpected status ${status}${said}`, { statusCode: status });
}

function parseSuccess(text: string, contentType: string | null): AuthenticationResponse {
  const broken = (what: string) => new AuthProviderError(50002, `Metquay /authenticate answered 200 but ${what}`);
  if (text.trim() === '') throw broken('with an empty body');
  if (text.length > MAX_BODY_CHARS) throw broken(`with a body over ${MAX_BODY_CHARS} characters`);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== '' && type !== 'application/json' && !type.endsWith('+json')) {
    throw broken(`with content-type ${type.slice(0, 60)} instead of application/json`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw broken('with a body that is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw broken('with JSON that is not an object');
  const { accessToken, tokenType, expiresIn } = body as Record<string, unknown>;
  if (accessToken === undefined) throw broken(`without accessToken (fields: ${fieldList(body)})`);
  if (typeof accessToken !== 'string' || accessToken.trim() === '') {
    throw broken(`with accessToken of type ${typeName(accessToken)} instead of a non-empty string`);
  }
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw broken(`with tokenType ${typeof tokenType === 'string' ? 'other than "bearer"' : `of type ${typeName(tokenType)}`}`);
  }
  if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn < 0)) {
    throw broken(`with expiresIn of type ${typeName(expiresIn)} instead of a non-negative number`);
  }
  return { accessToken, tokenType: 'bearer', ...(expiresIn === undefined ? {} : { expiresIn }) };
}

/** The `message` of a Metquay error envelope, scrubbed and shortened; `undefined` otherwise. */
function errorMessageOf(text: string, secrets: readonly string[]): string | undefined {
  if (text.length > MAX_BODY_CHARS) return undefined;
  try {
    const body: unknown = JSON.parse(text);
    const message = (body as { message?: unknown } | null)?.message;
    if (typeof message !== 'string' || message === '') return undefined;
    const clean = redact(message, secrets);
    return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
  } catch {
    return undefined;
  }
}

function fieldList(body: object): string {
  const keys = Object.keys(body).slice(0, 10).map((key) => key.slice(0, 40));
  return keys.length ? keys.join(', ') : 'none';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
