import { redact, ResponseTooLargeError, TransportError } from './errors';

/**
 * Talking to a token endpoint with bounds: one send that turns a network failure into a typed
 * error naming what failed and where, and one reader that never takes more than a limit of bytes.
 */

/**
 * Largest body read from a token endpoint (Ably requestToken and /time, an authUrl, Metquay
 * /authenticate, an error answer of any of them): 64 KiB. A token answer is a few hundred bytes,
 * a JWT a few KiB; anything bigger is a misconfigured or hostile endpoint.
 */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;


/**
 * Reads `response`'s body as UTF-8 text, at most `limitBytes` of it. A body that declares or
 * streams more is cancelled at once (the rest is never downloaded) and the call fails with a
 * {@link ResponseTooLargeError} naming the limit, so an endless or huge answer costs at most
 * `limitBytes` of memory.
 *
 * @param what names the answer in the error, e.g. `"authUrl answer"`.
 * @param code the error's code: 50002 for a provider's answer, 40170 for an authUrl's.
 */
export async function readBodyText(response: Response, what: string, limitBytes = MAX_TOKEN_RESPONSE_BYTES, code = 50002): Promise<string> {
  return new TextDecoder().decode(await readBodyBytes(response, what, limitBytes, code));
}

/** {@link readBodyText} as raw bytes (for msgpack answers), with the same bound and error. */
export async function readBodyBytes(response: Response, what: string, limitBytes = MAX_TOKEN_RESPONSE_BYTES, code = 50002): Promise<Uint8Array> {
  const tooLarge = async (stream: { cancel(): Promise<void> } | null | undefined) => {
    await stream?.cancel().catch(() => undefined);
    return new ResponseTooLargeError(code, `${what} is larger than ${limitBytes} bytes, the most tokensmith reads`, limitBytes, {
      upstream: { status: response.status },
    });
  };
  if (Number(response.headers.get('content-length')) > limitBytes) throw await tooLarge(response.body);
  const reader = response.body?.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  for (let read; reader && !(read = await reader.read()).done; ) {
    total += read.value.byteLength;
    if (total > limitBytes) throw await tooLarge(reader);
    chunks.push(read.value);
  }
  return chunks.length === 1 ? chunks[0]! : new Uint8Array(await new Blob(chunks).arrayBuffer());
}

/**
 * Sends one request to a token endpoint. A network failure becomes a {@link TransportError} 80000
 * whose message says what failed and where (`requestToken: ECONNREFUSED 127.0.0.1:9 (POST
 * http://127.0.0.1:9/keys/…)`), with the URL's query dropped and every secret redacted, and whose
 * `cause` is the underlying error. An abort rethrows the signal's reason (a timeout's typed error).
 */
export async function send(
  fetchImpl: typeof globalThis.fetch | undefined,
  url: string,
  init: RequestInit,
  what: string,
  secrets: Iterable<string | undefined>,
): Promise<Response> {
  try {
    return await (fetchImpl ? fetchImpl(url, init) : globalThis.fetch(url, init));
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason ?? error;
    throw networkFailure(error, what, `${init.method ?? 'GET'} ${safeUrl(url)}`, secrets);
  }
}

/**
 * A {@link TransportError} for `error` (what `fetch` threw): `what: network error: <system code and
 * address, or the innermost message> (<where>)`, redacted, with `error` as `cause`.
 */
export function networkFailure(error: unknown, what: string, where: string | undefined, secrets: Iterable<string | undefined>): TransportError {
  const place = where === undefined ? '' : ` (${where})`;
  const message = redact(`${what}: network error: ${describeNetworkCause(error)}${place}`, secrets);
  return new TransportError(80000, message, { cause: error });
}

interface SystemErrorFields {
  code?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** `ECONNREFUSED 127.0.0.1:9`, `ENOTFOUND rest.ably.io`, else the innermost error's message. */
export function describeNetworkCause(error: unknown): string {
  let current = error as SystemErrorFields | undefined;
  let innermost = current;
  for (let depth = 0; current && typeof current === 'object' && depth < 8; depth++) {
    const { code, address, port, hostname, cause, errors } = current;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) {
      if (typeof address === 'string') return `${code} ${address}${typeof port === 'number' ? `:${port}` : ''}`;
      return typeof hostname === 'string' ? `${code} ${hostname}` : code;
    }
    innermost = current;
    current = (cause ?? (Array.isArray(errors) ? errors[0] : undefined)) as SystemErrorFields | undefined;
  }
  const message = innermost?.message;
  return typeof message === 'string' && message !== '' ? message : String(error);
}

/** The URL without userinfo, query or fragment: where a request went, never what it carried. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
