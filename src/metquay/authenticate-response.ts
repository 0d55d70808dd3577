import type { components } from '../../generated/metquay';
import { AuthProviderError, redact } from '../core/errors';
import { readBodyText } from '../core/http';
import { errorFromResponse } from '../core/response-error';

/** The body of a successful `POST /authenticate`, as the spec defines it. */
export type AuthenticationResponse = components['schemas']['AuthenticationResponse'];

/** A 404 on `/authenticate` almost always means a base URL without the API's version path. */
const NOT_FOUND_HINT = 'check that baseUrl is the API root ending in /api/v1 (e.g. https://example.com/api/v1): /authenticate is under it';

/**
 * Turns the HTTP answer of `POST /authenticate` into an {@link AuthenticationResponse}, or throws
 * the typed error that says what went wrong. At most 64 KiB of the body is read. Messages name
 * fields and statuses, never values from the body; `secrets` are scrubbed from anything quoted
 * (a server message, field names).
 *
 * - 200 with a well-formed body: the response.
 * - 200 breaking the contract (empty, not JSON, HTML, no `accessToken`, wrong types):
 *   `AuthProviderError` 50002 (transient: a proxy's error page may pass); over 64 KiB:
 *   `ResponseTooLargeError` 50002.
 * - Anything else through core's mapper: 401 `InvalidCredentialsError` 40101 (final), 400
 *   `InvalidArgumentError` 40001 (final), 404 40400 whose message says to check that `baseUrl`
 *   ends in `/api/v1`, 429 `RateLimitError` with the `Retry-After` wait, 5xx
 *   `ServerError` 50000 (transient).
 */
export async function readAuthenticationResponse(
  response: Response,
  secrets: readonly string[],
  nowMs: number,
): Promise<AuthenticationResponse> {
  if (response.status !== 200) {
    throw await errorFromResponse(response, { what: 'Metquay /authenticate', secrets, refused: 'credentials', badRequestCode: 40001, nowMs, notFoundHint: NOT_FOUND_HINT });
  }
  const text = await readBodyText(response, 'Metquay /authenticate answer');
  return parseSuccess(text, response.headers.get('content-type'), secrets);
}

function parseSuccess(text: string, contentType: string | null, secrets: readonly string[]): AuthenticationResponse {
  const broken = (what: string) => new AuthProviderError(50002, `Metquay /authenticate answered 200 but ${what}`);
  if (text.trim() === '') throw broken('with an empty body');
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== '' && type !== 'application/json' && !type.endsWith('+json')) {
    throw broken(`with content-type ${redact(type.slice(0, 60), secrets)} instead of application/json`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw broken('with a body that is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw broken('with JSON that is not an object');
  const { accessToken, tokenType, expiresIn } = body as Record<string, unknown>;
  if (accessToken === undefined) throw broken(`without accessToken (fields: ${fieldList(body, secrets)})`);
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

/** The answer's field names, shortened and redacted: an endpoint echoing the request would otherwise quote the secret. */
function fieldList(body: object, secrets: readonly string[]): string {
  const keys = Object.keys(body).slice(0, 10).map((key) => redact(key, secrets).slice(0, 40));
  return keys.length ? keys.join(', ') : 'none';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
