import { PrintsSafely } from '../core/printable';
import { randomBytes } from 'node:crypto';
import { ConfigurationError } from '../core/errors';
import { createRedactingLogger, type Logger } from '../core/logger';
import { STORE_SYNC_KIT } from '../core/shared-store';
import { STORE_SYNC, type SharedTokenStore, type StoreSyncKit } from '../core/store-key';
import type { TokenLike, TokenState } from '../core/store';
import { Availability } from './availability';
import { TokenCodec, type DecodeProblem } from './codec';
import { Connection } from './connection';
import { keyLayout, type KeyLayout } from './keys';
import { resolveRedisTokenStoreOptions, type RedisTokenStoreOptions } from './options';
import type { PublishCommand } from './scripts';
import { UpdateListener } from './updates';

/**
 * A {@link TokenStore} in Redis, so a fleet of processes fetches one token per credential instead
 * of one each. Plug it into a provider's or a `TokenManager`'s `store` option.
 *
 * - State: `prefix{key}` (the key is a credential identity hash, no secret) holds the token and
 *   its expiry as JSON (optionally AES-256-GCM encrypted), with `PX` set to its remaining life.
 * - Lock: `prefix{key}:lock` via `SET … NX PX`, the owner prefixed with a random id of this
 *   store; renewed by its holder with a compare-and-set `PEXPIRE`, released by compare-and-delete,
 *   so a lock that lapsed and was taken over is safe.
 * - Updates: `set`, `delete` and `releaseLock` publish the key on `prefix{key}:updates`;
 *   `waitForUpdate` listens on a second connection opened on first use.
 * - Redis Cluster: pass an ioredis `Cluster` as `client`. The hash tag `{key}` puts a token, its
 *   lock and its channel in one slot, and updates use sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`).
 * - Failure: every method rejects within `commandTimeoutMs` when Redis is down or slow (the
 *   managers then fetch on their own), one warning is logged per outage, and the connection
 *   reconnects in the background.
 *
 * Tokens are credentials: the Redis behind this store must be as trusted as the keys themselves.
 *
 * @example
 * ```ts
 * import { RedisTokenStore } from 'tokensmith/redis';
 * import { credentialIdentity } from 'tokensmith/store';
 * const store = new RedisTokenStore({ url: process.env.REDIS_URL, prefix: 'myapp:' });
 * const manager = new TokenManager({ fetchToken, store, storeKey: credentialIdentity({ accessKey }) });
 * // …on shutdown
 * await store.close();
 * ```
 */
export class RedisTokenStore extends PrintsSafely implements SharedTokenStore {
  readonly #prefix: string;
  readonly #publish: PublishCommand;
  readonly #ownerPrefix = randomBytes(12).toString('base64url');
  readonly #codec: TokenCodec;
  readonly #log: Logger;
  readonly #availability: Availability;
  readonly #connection: Connection;
  readonly #updates: UpdateListener;
  readonly #reportedProblems = new Set<DecodeProblem>();

  constructor(options: RedisTokenStoreOptions = {}) {
    super();
    const resolved = resolveRedisTokenStoreOptions(options);
    this.#prefix = resolved.prefix;
    this.#codec = new TokenCodec(resolved.encryptionKey);
    this.#log = createRedactingLogger(resolved.logger, () => [resolved.url]);
    this.#availability = new Availability(this.#log);
    this.#connection = new Connection(resolved, this.#availability);
    this.#publish = this.#connection.isCluster ? 'SPUBLISH' : 'PUBLISH';
    this.#updates = new UpdateListener(this.#connection.isCluster, () => this.#connection.duplicateForSubscribing());
  }

  /** The sync machinery managers share tokens through. */
  get [STORE_SYNC](): StoreSyncKit {
    return STORE_SYNC_KIT;
  }

  /** False from a failed command or lost connection until Redis answers again; for health checks. */
  get available(): boolean {
    return this.#availability.available;
  }

  async get<T extends TokenLike>(key: string): Promise<TokenState<T> | undefined> {
    const { state } = this.#layout(key);
    const raw = await this.#connection.run('get', (client) => client.get(state));
    if (raw === null) return undefined;
    const decoded = this.#codec.decode<T>(state, raw);
    if (typeof decoded !== 'string') return decoded;
    this.#reportOnce(decoded);
    return undefined;
  }

  async set<T extends TokenLike>(key: string, state: TokenState<T>, ttlMs: number): Promise<void> {
    const names = this.#layout(key);
    const px = ttlArgument(ttlMs);
    const value = this.#codec.encode(names.state, state);
    await this.#connection.run('set', (client) => client.tokensmithSetState(names.state, value, px, this.#publish, names.channel, key));
  }

  async delete(key: string): Promise<void> {
    const { state, channel } = this.#layout(key);
    await this.#connection.run('delete', (client) => client.tokensmithDeleteState(state, this.#publish, channel, key));
  }

  async acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const { lock, channel } = this.#layout(key);
    const px = ttlArgument(ttlMs);
    // A process that takes part in locking will soon wait; start listening now.
    this.#updates.listen(channel);
    const held = await this.#connection.run('acquireLock', (client) => client.tokensmithAcquireLock(lock, this.#owner(owner), px));
    return held === 1;
  }

  async extendLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const { lock } = this.#layout(key);
    const px = ttlArgument(ttlMs);
    const extended = await this.#connection.run('extendLock', (client) => client.tokensmithExtendLock(lock, this.#owner(owner), px));
    return extended === 1;
  }

  async releaseLock(key: string, owner: string): Promise<void> {
    const { lock, channel } = this.#layout(key);
    await this.#connection.run('releaseLock', (client) => client.tokensmithReleaseLock(lock, this.#owner(owner), this.#publish, channel, key));
  }

  async waitForUpdate(key: string, timeoutMs: number): Promise<void> {
    await this.#updates.wait(this.#layout(key).channel, timeoutMs);
  }

  /**
   * Closes the connections this store opened (a `client` you passed stays open) and wakes every
   * waiter. Later calls reject, so managers fall back to fetching on their own.
   */
  /** Public facts only: the key prefix. Never the Redis URL (it may hold a password), the encryption key or a token. */
  toJSON(): { prefix: string } {
    return { prefix: this.#prefix };
  }

  /** `RedisTokenStore {"prefix":…}`. */
  override toString(): string {
    return `RedisTokenStore ${JSON.stringify(this.toJSON())}`;
  }


  async close(): Promise<void> {
    this.#updates.close();
    await this.#connection.close();
  }

  #layout(key: string): KeyLayout {
    if (typeof key !== 'string' || key === '') throw new ConfigurationError(40003, '"key" must be a non-empty string');
    return keyLayout(this.#prefix, key);
  }

  #owner(owner: string): string {
    if (typeof owner !== 'string' || owner === '') throw new ConfigurationError(40003, '"owner" must be a non-empty string');
    return `${this.#ownerPrefix}:${owner}`;
  }

  #reportOnce(problem: DecodeProblem): void {
    if (this.#reportedProblems.has(problem)) return;
    this.#reportedProblems.add(problem);
    this.#log.warn({ problem }, 'redis token store value unusable; treating it as absent (check encryptionKey across processes)');
  }
}

function ttlArgument(ttlMs: number): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new ConfigurationError(40003, '"ttlMs" must be a positive number');
  }
  return Math.ceil(ttlMs);
}
