import { redact, TransportError } from './errors';

/**
 * Sends one request to a token endpoint. A network failure becomes a {@link TransportError} 80000
 * whose message says what failed and where (`requestToken: ECONNREFUSED 127.0.0.1:9 (POST
 * http://127.0.0.1:9/keys/…)`), with the URL's query dropped and every secret redacted, and whose
 * `cause` is the underlying error. An abort rethrows the signal's reason (a timeout's typed error).
 */
export async function send(
  fetchImpl: typeof globalThis.fetch,
  url: string,
  init: RequestInit,
  what: string,
  secrets: Iterable<string | undefined>,
): Promise<Response> {
  try {
    return await fetchImpl(url, init);
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
    if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) {
      if (typeof current.address === 'string') {
        return `${current.code} ${current.address}${typeof current.port === 'number' ? `:${current.port}` : ''}`;
      }
      if (typeof current.hostname === 'string') return `${current.code} ${current.hostname}`;
      return current.code;
    }
    innermost = current;
    const nested = Array.isArray(current.errors) ? current.errors[0] : undefined;
    current = (current.cause ?? nested) as SystemErrorFields | undefined;
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
