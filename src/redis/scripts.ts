import type { Redis } from 'ioredis';

/**
 * The store's Lua scripts, registered with ioredis `defineCommand` (EVALSHA, falling back to EVAL
 * after a script flush). Each touches one key, so they also run on a cluster slot. Every write
 * publishes the unprefixed store key on the update channel in the same atomic step, so a waiter
 * that hears it and then reads sees the write.
 */

/** `SET lock owner NX PX ttl`; an owner that already holds the lock extends it. 1 when held. */
const ACQUIRE_LOCK = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** Compare-and-delete: only the owner releases; then publish. 1 when released. */
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

/** `SET key value PX ttl`, then publish. */
const SET_STATE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`;

/** `DEL key`, publishing only when something was deleted. */
const DELETE_STATE = `
if redis.call('DEL', KEYS[1]) == 0 then return 0 end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1`;

/** The commands {@link defineStoreCommands} adds to a client. */
export interface StoreCommands {
  tokensmithAcquireLock(lockKey: string, owner: string, ttlMs: number): Promise<number>;
  tokensmithReleaseLock(lockKey: string, owner: string, channel: string, message: string): Promise<number>;
  tokensmithSetState(key: string, value: string, ttlMs: number, channel: string, message: string): Promise<number>;
  tokensmithDeleteState(key: string, channel: string, message: string): Promise<number>;
}

/** Adds the store's scripts to `client` as commands (names prefixed `tokensmith`). */
export function defineStoreCommands(client: Redis): Redis & StoreCommands {
  client.defineCommand('tokensmithAcquireLock', { numberOfKeys: 1, lua: ACQUIRE_LOCK });
  client.defineCommand('tokensmithReleaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK });
  client.defineCommand('tokensmithSetState', { numberOfKeys: 1, lua: SET_STATE });
  client.defineCommand('tokensmithDeleteState', { numberOfKeys: 1, lua: DELETE_STATE });
  return client as Redis & StoreCommands;
}
