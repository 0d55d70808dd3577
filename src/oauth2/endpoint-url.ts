import { ConfigurationError, InvalidArgumentError } from '../core/errors';
import { refuseInClear } from '../core/spec-auth/placement';

/**
 * Where a token request goes: an absolute URL, or one the spec wrote relative to its server URL
 * (OpenAPI "Relative References in URLs"), resolved against it.
 */

/**
 * Resolves `url` (as the spec or the user wrote it) against `serverUrl`.
 *
 * @throws {ConfigurationError} 40106 when `url` is relative and no server URL is known;
 * {@link InvalidArgumentError} 40003 when it is not an http(s) URL. Messages name `what`.
 */
export function resolveEndpointUrl(url: string, serverUrl: string | undefined, what: string): string {
  let resolved: URL;
  try {
    resolved = new URL(url);
  } catch {
    if (serverUrl === undefined) {
      throw new ConfigurationError(40106, `${what} is relative and no server URL is known to resolve it against; pass serverUrl or an absolute tokenUrl`);
    }
    try {
      // Relative to the server URL as a directory, so "/v1/oauth2/token" and "oauth2/token" both work as specs mean them.
      resolved = new URL(url, serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`);
    } catch {
      throw new InvalidArgumentError(40003, `${what} is not a valid URL`);
    }
  }
  if (resolved.protocol !== 'https:' && resolved.protocol !== 'http:') throw new InvalidArgumentError(40003, `${what} must be an http(s) URL`);
  return resolved.href;
}

/** Refuses (40103) to send a client secret or refresh token over plain http to a host other than loopback. */
export function refuseSecretInClear(url: string, what: string): void {
  refuseInClear(url, what);
}
