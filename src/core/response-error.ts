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
  const { body, note } = await readErrorBody(response, context);
  const hint = response.status === 404 && context.notFoundHint ? `; ${context.notFoundHint}` : '';
  return errorFromAnswer(response.status, response.headers, body, context, `${note}${hint}`);
}

/**
 * {@link errorFromResponse} for an answer whose body was already read and parsed (openapi-fetch's
 * `error`, read through {@link boundedErrorBodies}).
 */
export function errorFromAnswer(status: number, headers: Headers, body: unknown, context: ResponseErrorContext, note = ''): TokensmithError {
  const envelope = envelopeOf(body);
  const upstream = { status, ...(envelope.code === undefined ? {} : { code: envelope.code }) };
  const quoted = envelope.message === undefined ? '' : `: ${shorten(redact(envelope.message, context.secrets))}`;
  const message = `${context.what} answered HTTP ${status}${quoted}${note}`;
  const ablyCode = envelope.code !== undefined && envelope.code >= 10000 ? envelope.code : undefined;
  const options: TokensmithErrorOptions = { statusCode: status, upstream, ...(envelope.href ? { href: redact(envelope.href, context.secrets) } : {}) };
  const retryAfterMs = parseRetryAfterMs(headers.get('retry-after'), context.nowMs);

  if (status === 429) return new RateLimitError(message, retryAfterMs, options);
  if (status >= 500) {
    const code = context.fixedCode ?? (ablyCode !== undefined && ablyCode >= 50000 ? ablyCode : 50000);
    return new ServerError(code, message, { ...options, retryAfterMs });
  }
  if (context.fixedCode !== undefined) return new AuthProviderError(context.fixedCode, message, { ...options, statusCode: 401 });
  if (status < 400) return new AuthProviderError(50002, `${context.what} answered an unexpected status ${status}`, options);
  const refusal = `${context.what} refused the ${context.refused} (HTTP ${status})${quoted}${note}`;
  if (isTokenErrorCode(ablyCode)) return new TokenError(ablyCode as number, message, options);
  if (status === 401 || status === 403) {
    if (context.refused === 'token') return new TokenError(40140, refusal, options);
    return new InvalidCredentialsError(refusal, { ...options, code: ablyCode ?? (status === 401 ? 40101 : 40300) });
  }
  if (status === 400) return new InvalidArgumentError(ablyCode ?? context.badRequestCode ?? 40000, message, options);
  return new TokensmithError(ablyCode ?? (status === 404 ? 40400 : 40000), message, options);
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

async function readErrorBody(response: Response, context: ResponseErrorContext): Promise<{ body: unknown; note: string }> {
  const contentType = (response.headers.get('content-type') ?? '').toLowerCase();
  const msgpack = contentType.includes('msgpack') && context.decodeMsgpack !== undefined;
  if (!msgpack && !contentType.includes('json')) {
    await response.body?.cancel().catch(() => undefined);
    return { body: undefined, note: '' };
  }
  try {
    const bytes = await readBodyBytes(response, `${context.what} error answer`);
    return { body: msgpack ? context.decodeMsgpack?.(bytes) : JSON.parse(new TextDecoder().decode(bytes)), note: '' };
  } catch (error) {
    const limit = (error as { limitBytes?: unknown }).limitBytes;
    return { body: undefined, note: typeof limit === 'number' ? ` (body not read: over ${limit} bytes)` : '' };
  }
}

/** Ably's `{ error: { code, message, href } }` or Metquay's `{ code, message }`. */
function envelopeOf(body: unknown): { code?: number; message?: string; href?: string } {
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const inner = record.error !== null && typeof record.error === 'object' ? (record.error as Record<string, unknown>) : record;
  return {
    ...(typeof inner.code === 'number' && Number.isInteger(inner.code) ? { code: inner.code } : {}),
    ...(typeof inner.message === 'string' && inner.message !== '' ? { message: inner.message } : {}),
    ...(typeof inner.href === 'string' ? { href: inner.href } : {}),
  };
}

function shorten(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
}
