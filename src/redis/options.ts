import type { Cluster, Redis } from 'ioredis';
import { ConfigurationError } from '../core/errors';
import type { Logger } from '../core/logger';

/** Options of {@link RedisTokenStore}. Give `url` or `client`, not both; neither means `redis://127.0.0.1:6379`. */
export interface RedisTokenStoreOptions {
  /**
   * Where Redis is, e.g. `redis://127.0.0.1:6379/0` or `rediss://…` for TLS. The store opens its
   * own connections, configured to fail fast, and closes them in {@link RedisTokenStore.close}.
   * May hold a password; it is never logged. `undefined` (e.g. `process.env.REDIS_URL` unset)
   * means the default, as when the option is left out.
   */
  url?: string | undefined;
  /**
   * An ioredis client you own and close: a `Redis`, or a `Cluster` for Redis Cluster (7.0 or
   * later: updates use sharded pub/sub). The store adds its Lua commands and an `error` listener
   * to it, and opens one more connection (`client.duplicate()`) for pub/sub. Give it
   * `enableOfflineQueue: false` and a `commandTimeout` (for a `Cluster`: in `redisOptions`) so an
   * outage fails fast there too; the store also enforces `commandTimeoutMs` itself.
   */
  client?: Redis | Cluster | undefined;
  /** Prepended to every key and to the update channel, e.g. `myapp:`. Default `''`. */
  prefix?: string | undefined;
  /**
   * How long one Redis command may take before the call rejects (and the caller falls back to
   * its in-process cache). Default 500.
   */
  commandTimeoutMs?: number | undefined;
  /**
   * How long a fresh store waits for its first connection before commands reject. After the
   * first connection, a disconnected store rejects at once. Default 1000.
   */
  connectTimeoutMs?: number | undefined;
  /**
   * After a command times out, further commands reject at once, unsent, for this long before
   * Redis is tried again; a reconnect ends the pause early. Default 2000.
   */
  slowRetryMs?: number | undefined;
  /** Longest pause between reconnect attempts (capped exponential backoff). Default 2000. */
  reconnectMaxDelayMs?: number | undefined;
  /**
   * 32 bytes (AES-256-GCM key). When set, every value is encrypted with a fresh random IV and
   * bound to its Redis key; values not encrypted under this key read as absent. Every process
   * sharing the tokens needs the same key.
   */
  encryptionKey?: Uint8Array | undefined;
  /** Pino-shaped logger: one `warn` when Redis becomes unavailable, one `info` when it is back. */
  logger?: Logger | undefined;
}

/** Defaults merged under {@link RedisTokenStoreOptions}. */
export const DEFAULT_REDIS_TOKEN_STORE_OPTIONS = /* @__PURE__ */ Object.freeze({
  url: 'redis://127.0.0.1:6379',
  prefix: '',
  commandTimeoutMs: 500,
  connectTimeoutMs: 1_000,
  slowRetryMs: 2_000,
  reconnectMaxDelayMs: 2_000,
});

/** Options after defaults are merged and values checked. */
export interface ResolvedRedisTokenStoreOptions {
  url: string;
  client: Redis | Cluster | undefined;
  prefix: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  slowRetryMs: number;
  reconnectMaxDelayMs: number;
  encryptionKey: Uint8Array | undefined;
  logger: Logger | undefined;
}

/** Merges defaults and checks every option, naming the option (never its value) on failure. */
export function resolveRedisTokenStoreOptions(options: RedisTokenStoreOptions = {}): ResolvedRedisTokenStoreOptions {
  const defaults = DEFAULT_REDIS_TOKEN_STORE_OPTIONS;
  if (options.url !== undefined && options.client !== undefined) throw invalid('give "url" or "client", not both');
  if (options.url !== undefined && (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url))) {
    throw invalid('"url" must be a redis:// or rediss:// URL');
  }
  if (options.client !== undefined && typeof (options.client as Partial<Redis> | null)?.duplicate !== 'function') {
    throw invalid('"client" must be an ioredis Redis or Cluster client');
  }
  if (options.prefix !== undefined && typeof options.prefix !== 'string') throw invalid('"prefix" must be a string');
  const key = options.encryptionKey;
  if (key !== undefined && (!(key instanceof Uint8Array) || key.byteLength !== 32)) {
    throw invalid('"encryptionKey" must be a Uint8Array of 32 bytes');
  }
  const resolved: ResolvedRedisTokenStoreOptions = {
    url: options.url ?? defaults.url,
    client: options.client,
    prefix: options.prefix ?? defaults.prefix,
    commandTimeoutMs: options.commandTimeoutMs ?? defaults.commandTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? defaults.connectTimeoutMs,
    slowRetryMs: options.slowRetryMs ?? defaults.slowRetryMs,
    reconnectMaxDelayMs: options.reconnectMaxDelayMs ?? defaults.reconnectMaxDelayMs,
    encryptionKey: key === undefined ? undefined : Uint8Array.from(key),
    logger: options.logger,
  };
  for (const name of ['commandTimeoutMs', 'connectTimeoutMs', 'slowRetryMs', 'reconnectMaxDelayMs'] as const) {
    const value = resolved[name];
    if (!Number.isInteger(value) || value <= 0) throw invalid(`"${name}" must be a positive integer`);
  }
  return resolved;
}

function invalid(message: string): ConfigurationError {
  return new ConfigurationError(40003, message);
}
