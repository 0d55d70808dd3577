import { withoutUndefined } from 'tokensmith';
import { invalidOption, positiveInteger } from '../lib/checks';

/**
 * Configuration of the local server's Metquay side: who may authenticate, how long tokens live and
 * how hard clients are rate limited.
 */

/** One pre-provisioned client: the access/secret key pair it authenticates with. */
export interface MetquayClientCredentials {
  /** Public identifier of the client; becomes the token's `sub`. */
  accessKey: string;
  /** Secret half of the pair; compared in constant time, never logged or echoed. */
  secretKey: string;
}

/** Full configuration of the Metquay side; see {@link DEFAULT_METQUAY_SERVER_CONFIG}. */
export interface MetquayServerConfig {
  /** Clients allowed to call `POST /authenticate`. */
  clients: MetquayClientCredentials[];
  /** Lifetime of an issued access token, in seconds (Metquay: 900). */
  tokenTtlSeconds: number;
  /** Requests per minute each client (token subject) may make to protected routes (Metquay: 100). */
  rateLimitPerMinute: number;
  /**
   * Calls of `POST /authenticate` per minute from one IP address. Real Metquay does not rate limit
   * this endpoint; the local server does, to make credential guessing slow. Defaults to
   * `rateLimitPerMinute`.
   */
  authenticateRateLimitPerMinute?: number | undefined;
  /** HS256 signing secret for access tokens. Default: 32 random bytes per server start. */
  jwtSecret?: string | undefined;
  /** How many customers `GET /customers` serves (generated deterministically). */
  customerCount: number;
}

/**
 * Defaults merged under a partial config. It has no clients: a server without configured clients
 * accepts no credentials.
 */
export const DEFAULT_METQUAY_SERVER_CONFIG: Readonly<MetquayServerConfig> = Object.freeze({
  clients: [],
  tokenTtlSeconds: 900,
  rateLimitPerMinute: 100,
  customerCount: 120,
});

/** A config with every default filled in and every field checked. */
export type ResolvedMetquayServerConfig = Required<Omit<MetquayServerConfig, 'jwtSecret'>> &
  Pick<MetquayServerConfig, 'jwtSecret'>;

/**
 * Merges `config` over the defaults and checks it. Messages name the bad field, never a secret.
 *
 * @throws {ConfigurationError} 40003 naming the field when it has the wrong type or range.
 */
export function resolveMetquayServerConfig(config: Partial<MetquayServerConfig> = {}): ResolvedMetquayServerConfig {
  const merged = { ...DEFAULT_METQUAY_SERVER_CONFIG, ...withoutUndefined(config) };
  if (!Array.isArray(merged.clients)) throw invalidOption('metquay.clients must be an array');
  merged.clients.forEach((client, index) => {
    for (const field of ['accessKey', 'secretKey'] as const) {
      const value: unknown = client?.[field];
      if (typeof value !== 'string' || value.length === 0) {
        throw invalidOption(`metquay.clients[${index}].${field} must be a non-empty string`);
      }
    }
  });
  positiveInteger('metquay.tokenTtlSeconds', merged.tokenTtlSeconds);
  positiveInteger('metquay.rateLimitPerMinute', merged.rateLimitPerMinute);
  positiveInteger('metquay.customerCount', merged.customerCount);
  const authenticateRateLimitPerMinute = merged.authenticateRateLimitPerMinute ?? merged.rateLimitPerMinute;
  positiveInteger('metquay.authenticateRateLimitPerMinute', authenticateRateLimitPerMinute);
  if (merged.jwtSecret !== undefined && (typeof merged.jwtSecret !== 'string' || merged.jwtSecret.length < 16)) {
    throw invalidOption('metquay.jwtSecret must be a string of at least 16 characters');
  }
  return { ...merged, clients: merged.clients.map((c) => ({ ...c })), authenticateRateLimitPerMinute };
}
