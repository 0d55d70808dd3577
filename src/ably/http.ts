import { parseRetryAfterMs } from '../core/retry-after';
import { RateLimitError, redact, TokensmithError, TransportError } from '../core/errors';
import { decodeMsgpack } from './msgpack-decode';
import type { AblyErrorInfo } from './types';

/**
 * Small HTTP helpers shared by the Ably auth code: the protocol version header and reading
 * Ably's error envelope (JSON or msgpack).
 */

/**
 * `X-Ably-Version` sent with every request, the value the official JavaScript SDK (ably 2.x,
 * `Defaults.protocolVersion`) sends.
 */
export const ABLY_PROTOCOL_VERSION = '6';

/** Largest authUrl body, token string or token object accepted (as the official SDKs: 128 KiB). */
export const MAX_TOKEN_RESPONSE_BYTES = 128 * 1024;

/**
 * Reads the `error` object of an Ably error body, JSON or msgpack (by Content-Type). Consumes
 * `response`'s body: pass a clone when the response is still needed. Undefined when the body is
 * not an envelope with a numeric code.
 */
export async function readAblyErrorInfo(response: Response): Promise<Partial<AblyErrorInfo> & { code: number } | undefined> {
  const contentType = response.headers.get('content-type') ?? '';
  let body: unknown;
  try {
    if (contentType.includes('msgpack')) body = decodeMsgpack(new Uint8Array(await response.arrayBuffer()));
    else if (contentType.includes('json')) body = JSON.parse(await response.text());
    else return undefined;
  } catch {
    return undefined;
  }
  const info = (body as { error?: unknown } | null)?.error;
  if (typeof info !== 'object' || info === null) return undefined;
  const { code, statusCode, message, href } = info as Record<string, unknown>;
  if (typeof code !== 'number') return undefined;
  return {
    code,
    ...(typeof statusCode === 'number' ? { statusCode } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof href === 'string' ? { href } : {}),
  };
}

/**
 * A typed error for a failed Ably response: the envelope's code and message when there is one,
 * else one derived from the HTTP status. 429 becomes a {@link RateLimitError} carrying
 * `Retry-After`; 5xx without an envelope a transient {@link TransportError}. Every known secret
 * is scrubbed from the server's message.
 */
export async function errorFromAblyResponse(response: Response, what: string, secrets: Iterable<string | undefined>): Promise<TokensmithError> {
  const info = await readAblyErrorInfo(response);
  const statusCode = info?.statusCode ?? response.status;
  const message = redact(`${what} failed: ${info?.message ?? `HTTP ${response.status}`}`, secrets);
  const options = { statusCode, ...(info?.href ? { href: info.href } : {}) };
  if (response.status === 429) return new RateLimitError(message, parseRetryAfterMs(response.headers.get('retry-after')), options);
  if (info) return new TokensmithError(info.code, message, options);
  if (response.status >= 500) return new TransportError(50000, message, options);
  return new TokensmithError(response.status * 100, message, options);
}

/**
 * Reads at most `limit` bytes of a body as UTF-8 text; undefined when it is longer (the rest is
 * not read, so a huge or endless body costs at most `limit` bytes).
 */
export async function readTextCapped(response: Response, limit: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
