/**
 * The `tokensmith/redis` entry: a TokenStore in Redis (ioredis) for fleet-wide token sharing.
 * @module tokensmith/redis
 */
export { RedisTokenStore } from './store';
export { DEFAULT_REDIS_TOKEN_STORE_OPTIONS, type RedisTokenStoreOptions } from './options';
// The core types its API names, so a store user needs no second import to type them.
export type { TokenLike, TokenState, TokenStore } from '../core/store';
export type { SharedTokenStore } from '../core/store-key';
export type { Logger } from '../core/logger';
