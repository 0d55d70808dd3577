import { withoutUndefined } from 'tokensmith';
import { invalidOption, positiveInteger } from '../lib/checks';

/**
 * Configuration of the local OAuth2 authorization server: which clients may get tokens, with
 * which scopes, for how long, and how much memory the issued tokens may take.
 */

/** One confidential client (RFC 6749 §2.1) the token endpoint accepts. */
export interface OAuth2ClientConfig {
  /** The client identifier, sent as `client_id` or as the user part of Basic auth. */
  clientId: string;
  /** The client secret; compared in constant time, never logged or echoed. At least 8 characters. */
  clientSecret: string;
  /** Scopes the client may ask for; a request without `scope` gets all of them. */
  scopes: string[];
  /** Access-token lifetime for this client, in seconds. Default: `oauth2.tokenTtlSeconds`. */
  tokenTtlSeconds?: number | undefined;
  /**
   * Also answer `client_credentials` with a refresh token (RFC 6749 §4.4.3 says a server should
   * not; this lets tests exercise the `refresh_token` grant without an authorization-code flow).
   * Default false.
   */
  issueRefreshTokens?: boolean | undefined;
}

/** The OAuth2 side; see {@link DEFAULT_OAUTH2_SERVER_CONFIG}. */
export interface OAuth2ServerConfig {
  /** Clients allowed at the token endpoint. Default none. */
  clients: OAuth2ClientConfig[];
  /** Access-token lifetime, in seconds, for clients that set none. Default 3600. */
  tokenTtlSeconds: number;
  /** Refresh-token lifetime, in seconds. Default 24 hours. */
  refreshTokenTtlSeconds: number;
  /** Bytes the issued access and refresh tokens may take (estimated per entry); the oldest are forgotten past it. Default 16 MiB. */
  maxTokenStoreBytes: number;
  /**
   * Bytes the cache of already-verified access tokens may take (estimated per entry; keyed by the
   * token, so that a token's next checks skip the HMAC); the oldest are forgotten past it and
   * verified in full on their next use. Default 4 MiB.
   */
  maxVerifiedCacheBytes: number;
  /** HS256 signing secret for access tokens, at least 32 characters. Default: 32 random bytes per server start. */
  signingSecret?: string | undefined;
}

/** Defaults merged under a partial config. Without clients nobody gets a token. */
export const DEFAULT_OAUTH2_SERVER_CONFIG: Readonly<OAuth2ServerConfig> = Object.freeze({
  clients: [],
  tokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 24 * 3600,
  maxTokenStoreBytes: 16 * 1024 * 1024,
  maxVerifiedCacheBytes: 4 * 1024 * 1024,
});

/** A client after checking: its lifetime filled in. */
export interface ResolvedOAuth2Client {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly tokenTtlSeconds: number;
  readonly issueRefreshTokens: boolean;
}

/** The checked OAuth2 configuration. */
export interface ResolvedOAuth2ServerConfig extends Omit<OAuth2ServerConfig, 'clients'> {
  clients: ResolvedOAuth2Client[];
}

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const CLIENT_FIELDS = ['clientId', 'clientSecret', 'scopes', 'tokenTtlSeconds', 'issueRefreshTokens'];
const FIELDS = ['clients', 'tokenTtlSeconds', 'refreshTokenTtlSeconds', 'maxTokenStoreBytes', 'maxVerifiedCacheBytes', 'signingSecret'];

/** True when `value` is a valid RFC 6749 scope token. */
export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/**
 * Merges `input` over {@link DEFAULT_OAUTH2_SERVER_CONFIG} and checks every field.
 *
 * @throws {ConfigurationError} 40003 whose message names the field (never its value).
 */
export function resolveOAuth2ServerConfig(input: unknown = {}): ResolvedOAuth2ServerConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidOption('oauth2 must be an object');
  const given = withoutUndefined(input);
  const unknown = Object.keys(given).find((name) => !FIELDS.includes(name));
  if (unknown !== undefined) throw invalidOption(`oauth2.${unknown.slice(0, 64)} is not a known option`);
  const merged = { ...DEFAULT_OAUTH2_SERVER_CONFIG, ...given } as OAuth2ServerConfig;
  positiveInteger('oauth2.tokenTtlSeconds', merged.tokenTtlSeconds);
  positiveInteger('oauth2.refreshTokenTtlSeconds', merged.refreshTokenTtlSeconds);
  positiveInteger('oauth2.maxTokenStoreBytes', merged.maxTokenStoreBytes);
  positiveInteger('oauth2.maxVerifiedCacheBytes', merged.maxVerifiedCacheBytes);
  if (merged.signingSecret !== undefined && (typeof merged.signingSecret !== 'string' || merged.signingSecret.length < 32)) {
    throw invalidOption('oauth2.signingSecret must be a string of at least 32 characters');
  }
  if (!Array.isArray(merged.clients)) throw invalidOption('oauth2.clients must be an array');
  const seen = new Set<string>();
  const clients = merged.clients.map((client: unknown, index) => {
    const resolved = resolveClient(client, `oauth2.clients[${index}]`, merged.tokenTtlSeconds);
    if (seen.has(resolved.clientId)) throw invalidOption(`oauth2.clients[${index}].clientId repeats an earlier client's`);
    seen.add(resolved.clientId);
    return resolved;
  });
  return { ...merged, clients };
}

function resolveClient(value: unknown, where: string, defaultTtl: number): ResolvedOAuth2Client {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidOption(`${where} must be an object`);
  const entry = value as Record<string, unknown>;
  const unknown = Object.keys(entry).find((name) => !CLIENT_FIELDS.includes(name));
  if (unknown !== undefined) throw invalidOption(`${where}.${unknown.slice(0, 64)} is not a known option`);
  const { clientId, clientSecret, scopes, tokenTtlSeconds = defaultTtl, issueRefreshTokens = false } = entry;
  if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 256) {
    throw invalidOption(`${where}.clientId must be a non-empty string of at most 256 characters`);
  }
  if (typeof clientSecret !== 'string' || clientSecret.length < 8) throw invalidOption(`${where}.clientSecret must be a string of at least 8 characters`);
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string' && isScopeToken(scope))) {
    throw invalidOption(`${where}.scopes must be an array of scope names (printable ASCII, no spaces, quotes or backslashes)`);
  }
  positiveInteger(`${where}.tokenTtlSeconds`, tokenTtlSeconds);
  if (typeof issueRefreshTokens !== 'boolean') throw invalidOption(`${where}.issueRefreshTokens must be a boolean`);
  return { clientId, clientSecret, scopes: [...new Set(scopes as string[])], tokenTtlSeconds, issueRefreshTokens };
}
