import {
  AuthProviderError,
  InvalidArgumentError,
  InvalidCredentialsError,
  RateLimitError,
  ServerError,
  TokenError,
  TokensmithError,
  isTokenErrorCode,
  redact,
  type TokensmithErrorOptions,
} from './errors';
import type { Middleware } from 'openapi-fetch';
import { MAX_TOKEN_RESPONSE_BYTES, readBodyBytes } from './http';
import { parseRetryAfterMs } from './retry-after';

/** How {@link errorFromResponse} reads one endpoint's failures. */
export interface ResponseErrorContext {
  /** Names the call in the message, e.g. `"Ably requestToken"`, `"Metquay GET /customers"`. */
  what: string;
  /** Strings to scrub from anything quoted from the answer. */
  secrets: Iterable<string | undefined>;
  /** What a 401/403 without a token code means here: the credentials were refused, or the token was (named so in the message). */
  refused: 'credentials' | 'token';
  /** Every non-2xx answer that is neither 429 nor 5xx gets this code, the endpoint's kept as `upstream` (authUrl: 40170). */
  fixedCode?: number;
  /** Code of a 400 without an envelope code. Default 40000. */
  badRequestCode?: number;
  /** Decodes a msgpack body (Ably); without it only JSON envelopes are read. */
  decodeMsgpack?: (bytes: Uint8Array) => unknown;
  /** Current time for an HTTP-date `Retry-After`. */
  nowMs?: number;
  /** Appended to the message of a 404: what to check (Metquay: the base URL must end in `/api/v1`). */
  notFoundHint?: string;
}

const MAX_QUOTED_CHARS = 200;

/**
 * The one mapping from a failed HTTP answer to a typed error, for every token endpoint and both
 * providers. Reads at most 64 KiB of the body, understands Ably's envelope (`{ error: { code,
 * message, href } }`) and Metquay's (`{ code, message }`), and picks the class by condition:
 *
 * | answer | error |
 * | --- | --- |
 * | 429 | {@link RateLimitError} 42910 with `retryAfterMs` |
 * | 5xx | {@link ServerError}: the envelope's 5xxxx code, else 50000 (`retryAfterMs` from a 503) |
 * | a 40140–40149 code, or 401/403 where a token was sent | {@link TokenError} |
 * | 401/403 where credentials were sent | {@link InvalidCredentialsError} (the envelope's code, else 40101) |
 * | 400 | {@link InvalidArgumentError} (the envelope's code, else `badRequestCode`) |
 * | other 4xx | {@link TokensmithError} (the envelope's code, else 40400 for 404, else 40000) |
 *
 * With `fixedCode` (an authUrl), every answer but 429 carries that code: 5xx as a
 * {@link ServerError}, the rest as an {@link AuthProviderError}. The server's message is quoted
 * redacted and shortened; the answer's status and code are kept as `upstream`.
 */
export async function errorFromResponse(response: Response, context: ResponseErrorContext): Promise<TokensmithError> {
  let note = response.status === 404 && context.notFoundHint ? `; ${context.notFoundHint}` : '';
  const body = await readErrorBody(response, context.what, context.decodeMsgpack).catch((error: { limitBytes?: unknown } | undefined) => {
    const limit = error?.limitBytes;
    if (typeof limit === 'number') note = ` (body not read: over ${limit} bytes)${note}`;
  });
  return errorFromAnswer(response.status, response.headers, body, context, note);
}

/**
 * {@link errorFromResponse} for an answer whose body was already read and parsed (openapi-fetch's
 * `error`, read through {@link boundedErrorBodies}).
 */
export function errorFromAnswer(status: number, headers: Headers, body: unknown, context: ResponseErrorContext, note = ''): TokensmithError {
  const { what, secrets, fixedCode } = context;
  // Ably's `{ error: { code, message, href } }` or Metquay's `{ code, message }`.
  const record = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const inner = (record.error !== null && typeof record.error === 'object' ? record.error : record) as Record<string, unknown>;
  const envelopeCode = Number.isInteger(inner.code) ? (inner.code as number) : undefined;
  const serverMessage = typeof inner.message === 'string' ? inner.message : '';
  const quoted = serverMessage && `: ${shorten(redact(serverMessage, secrets))}`;
  const message = `${what} answered HTTP ${status}${quoted}${note}`;
  const ablyCode = envelopeCode !== undefined && envelopeCode >= 10000 ? envelopeCode : undefined;
  const options: TokensmithErrorOptions = {
    statusCode: status,
    upstream: { status, ...(envelopeCode === undefined ? {} : { code: envelopeCode }) },
    href: typeof inner.href === 'string' && inner.href ? redact(inner.href, secrets) : undefined,
  };
  const retryAfterMs = parseRetryAfterMs(headers.get('retry-after'), context.nowMs);

  if (status === 429) return new RateLimitError(message, retryAfterMs, options);
  if (status >= 500) return new ServerError(fixedCode ?? (ablyCode! >= 50000 ? ablyCode! : 50000), message, { ...options, retryAfterMs });
  if (fixedCode !== undefined) return new AuthProviderError(fixedCode, message, { ...options, statusCode: 401 });
  if (status < 400) return new AuthProviderError(50002, `${what} answered an unexpected status ${status}`, options);
  const refusal = `${what} refused the ${context.refused} (HTTP ${status})${quoted}${note}`;
  if (isTokenErrorCode(ablyCode)) return new TokenError(ablyCode!, message, options);
  if (status === 401 || status === 403) {
    if (context.refused === 'token') return new TokenError(40140, refusal, options);
    return new InvalidCredentialsError(refusal, { ...options, code: ablyCode ?? (status === 401 ? 40101 : 40300) });
  }
  if (status === 400) return new InvalidArgumentError(ablyCode ?? context.badRequestCode ?? 40000, message, options);
  return new TokensmithError(ablyCode ?? (status === 404 ? 40400 : 40000), message, options);
}

/**
 * Reads a failed answer's JSON body (or msgpack, given `decodeMsgpack`), at most 64 KiB of it; any
 * other body is cancelled unread (undefined). Rejects when the body is too large or malformed.
 */
export async function readErrorBody(response: Response, what: string, decodeMsgpack?: (bytes: Uint8Array) => unknown): Promise<unknown> {
  const contentType = (response.headers.get('content-type') ?? '').toLowerCase();
  const decode = contentType.includes('msgpack') ? decodeMsgpack : contentType.includes('json') ? parseJsonBytes : undefined;
  if (!decode) return response.body?.cancel().catch(() => undefined);
  return decode(await readBodyBytes(response, `${what} error answer`));
}

/**
 * openapi-fetch middleware that reads a failed answer's body for the caller, at most 64 KiB of it,
 * so openapi-fetch's own full read of an error body is bounded. A longer body is dropped (the
 * status and headers stay). Register it first, so it sees the final answer after auth and retries.
 */
export function boundedErrorBodies(limitBytes = MAX_TOKEN_RESPONSE_BYTES): Middleware {
  return {
    async onResponse({ response }) {
      if (response.ok || response.body === null) return undefined;
      const init = { status: response.status, statusText: response.statusText, headers: response.headers };
      try {
        return new Response((await readBodyBytes(response, 'error answer', limitBytes)) as Uint8Array<ArrayBuffer>, init);
      } catch {
        return new Response(null, init);
      }
    },
  };
}

function parseJsonBytes(bytes: Uint8Array): unknown {
  return JSON.parse(new TextDecoder().decode(bytes));
}

function shorten(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
}
