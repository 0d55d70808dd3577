import { ConfigurationError, InvalidArgumentError } from '../core/errors';
import { refuseInClear } from '../core/spec-auth/placement';
import type { SchemeUse } from '../core/spec-auth/types';
import type { DiscoveryCache } from './discovery';

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

/** A token endpoint as a provider holds it: a public key (a URL) for caches and the store, and how to get the URL. */
export interface TokenEndpoint {
  /** The token URL, or the discovery URL it comes from: public, names the endpoint in caches. */
  readonly key: string;
  /** The absolute token URL (after discovery, for openIdConnect). */
  readonly url: () => string | Promise<string>;
}

/**
 * Where `use`'s token requests go: `override` (the provider's `tokenUrl`) or the URL the spec
 * writes for an oauth2 scheme (`fromFlows`), resolved against the server URL; for an
 * openIdConnect scheme, the `token_endpoint` of the discovery document at `openIdConnectUrl`.
 * Refuses (40103) a client secret sent over plain http off this machine.
 *
 * @throws {InvalidArgumentError} 40003 naming the scheme when it declares no usable URL.
 */
export function tokenEndpointFor(
  use: SchemeUse,
  override: string | undefined,
  fromFlows: (flows: NonNullable<SchemeUse['scheme']['flows']>) => string | undefined,
  discovery: DiscoveryCache,
  owner: string,
): TokenEndpoint {
  const what = `${use.kind} scheme "${use.schemeName}"`;
  const clear = `the OAuth2 client credentials for ${what}`;
  if (override !== undefined || use.kind === 'oauth2') {
    const written = override ?? fromFlows(use.scheme.flows ?? {});
    if (written === undefined) throw new InvalidArgumentError(40003, `${what} declares no token URL for ${owner}'s flow; give ${owner} a tokenUrl, or configure a token source for its flow`);
    const url = resolveEndpointUrl(written, use.serverUrl, `the token URL of ${what}`);
    refuseSecretInClear(url, clear);
    return { key: url, url: () => url };
  }
  const written = use.scheme.openIdConnectUrl;
  if (typeof written !== 'string') throw new InvalidArgumentError(40003, `${what} has no openIdConnectUrl; give ${owner} a tokenUrl`);
  const document = resolveEndpointUrl(written, use.serverUrl, `the openIdConnectUrl of ${what}`);
  return {
    key: document,
    url: async () => {
      const url = (await discovery.get(document)).token_endpoint;
      refuseSecretInClear(url, clear);
      return url;
    },
  };
}
