import { ConfigurationError } from '../errors';
import { relocated } from '../replay';

/**
 * Where credentials go on a request: the one place each placement rule lives (the plain-http
 * refusal, apiKey in a header, the query or a cookie). Every setter replaces what an earlier
 * attempt put there, so a renewed credential can be applied again to a replay copy.
 */

/** True for hosts where a credential sent over plain http cannot be overheard off the machine. */
export function isLoopbackHost(hostname: string): boolean {
  // Brackets: an IPv6 hostname as URL gives it, `[::1]`.
  return /^\[?(?:(?:.*\.)?localhost|::1|127(?:\.\d{1,3}){3})\]?$/is.test(hostname);
}

/**
 * Refuses (40103) to send a long-lived secret (a Basic password, an Ably key) over plain http to a
 * host other than loopback, judged by the request's own URL. `what` names the sender; `instead`
 * is appended to the advice ("Use https or …").
 *
 * @throws {ConfigurationError} 40103 naming `what`, never the URL or the secret.
 */
export function refuseInClear(url: string, what: string, instead?: string): void {
  // Cheap first test: https URLs (the usual case) never build a URL object.
  if (url.startsWith('http:') && !isLoopbackHost(new URL(url).hostname)) {
    throw new ConfigurationError(40103, `${what} sends the secret itself; refused over plain http to a non-loopback host. Use https${instead ? ` or ${instead}` : ''}`);
  }
}

/**
 * True when `value` can travel as a header value as it is (RFC 9110 §5.5: no control characters,
 * no leading or trailing space). Checked before a credential is set, because the platform's own
 * refusal quotes the value in its message.
 */
export function isHeaderValue(value: string): boolean {
  return /^[\x21-\x7E\x80-\xFF](?:[\t\x20-\x7E\x80-\xFF]*[\x21-\x7E\x80-\xFF])?$/.test(value);
}

/** RFC 6265 §4.1.1 cookie-octets: what a cookie value can carry unquoted. */
export function isCookieValue(value: string): boolean {
  return /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/.test(value);
}

/** Whether `value` can be placed `in` header / cookie (any string can go in the query). */
export function canPlace(placement: string, value: string): boolean {
  return placement === 'query' || (placement === 'cookie' ? isCookieValue(value) : isHeaderValue(value));
}

/**
 * Puts an apiKey where its scheme says: the `name` header, the `name` query parameter (a new
 * Request, returned), or the `name` cookie (merged into any Cookie header already set).
 */
export function placeApiKey(request: Request, placement: string, name: string, value: string): Request | undefined {
  if (placement === 'header') request.headers.set(name, value);
  else if (placement === 'cookie') setCookie(request.headers, name, value);
  else {
    const url = new URL(request.url);
    url.searchParams.set(name, value);
    return relocated(request, url);
  }
  return undefined;
}

/**
 * Sets cookie `name` in the request's Cookie header: appended with `; ` to cookies already there,
 * replacing a pair of the same name (RFC 6265 §5.4 sends one header, pairs joined by `; `).
 */
export function setCookie(headers: Headers, name: string, value: string): void {
  const kept = (headers.get('cookie') ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part.split('=', 1)[0]!.trim() !== name);
  kept.push(`${name}=${value}`);
  headers.set('cookie', kept.join('; '));
}
