import type { Cluster, Redis } from 'ioredis';

/**
 * The store's Lua scripts, registered with ioredis `defineCommand` (EVALSHA, falling back to EVAL
 * after a script flush). Each touches one key and publishes on that key's channel, which shares
 * its hash tag ({@link keyLayout}), so on Redis Cluster the whole script runs on one slot. Every
 * write publishes in the same atomic step, so a waiter that hears it and then reads sees the
 * write. The publish command is an argument: `PUBLISH` on a single node, `SPUBLISH` (sharded,
 * Redis 7) on a cluster.
 */

/** `SET lock owner NX PX ttl`; an owner that already holds the lock extends it. 1 when held. */
const ACQUIRE_LOCK = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** Compare-and-set of the TTL: extends the lock only while `owner` holds it. 1 when extended. */
const EXTEND_LOCK = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** Compare-and-delete: only the owner releases; then publish. 1 when released. */
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call(ARGV[2], ARGV[3], ARGV[4])
return 1`;

/** `SET key value PX ttl`, then publish. */
const SET_STATE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call(ARGV[3], ARGV[4], ARGV[5])
return 1`;

/** `DEL key`, publishing only when something was deleted. */
const DELETE_STATE = `
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
redis.call(ARGV[1], ARGV[2], ARGV[3])
return 1`;

/** `PUBLISH` or `SPUBLISH`. */
export type PublishCommand = 'PUBLISH' | 'SPUBLISH';

/** The commands {@link defineStoreCommands} adds to a client. */
export interface StoreCommands {
  tokensmithAcquireLock(lockKey: string, owner: string, ttlMs: number): Promise<number>;
  tokensmithExtendLock(lockKey: string, owner: string, ttlMs: number): Promise<number>;
  tokensmithReleaseLock(lockKey: string, owner: string, publish: PublishCommand, channel: string, message: string): Promise<number>;
  tokensmithSetState(key: string, value: string, ttlMs: number, publish: PublishCommand, channel: string, message: string): Promise<number>;
  tokensmithDeleteState(key: string, publish: PublishCommand, channel: string, message: string): Promise<number>;
}

/** Adds the store's scripts to `client` as commands (names prefixed `tokensmith`). */
export function defineStoreCommands<C extends Redis | Cluster>(client: C): C & StoreCommands {
  client.defineCommand('tokensmithAcquireLock', { numberOfKeys: 1, lua: ACQUIRE_LOCK });
  client.defineCommand('tokensmithExtendLock', { numberOfKeys: 1, lua: EXTEND_LOCK });
  client.defineCommand('tokensmithReleaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK });
  client.defineCommand('tokensmithSetState', { numberOfKeys: 1, lua: SET_STATE });
  client.defineCommand('tokensmithDeleteState', { numberOfKeys: 1, lua: DELETE_STATE });
  return client as C & StoreCommands;
}
