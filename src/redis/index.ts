// The `tokensmith/redis` entry: a TokenStore in Redis (ioredis) for fleet-wide token sharing.
export { RedisTokenStore } from './store';
export { DEFAULT_REDIS_TOKEN_STORE_OPTIONS, type RedisTokenStoreOptions } from './options';
