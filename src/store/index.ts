/**
 * The `tokensmith/store` entry: sharing tokens between managers and processes. `MemoryTokenStore`
 * (in one process), `sharedStore()` for a store of your own, and `credentialIdentity()` for store
 * keys; `RedisTokenStore` is in `tokensmith/redis`. Apart from the default entry so that bundles
 * which never share tokens never carry the fleet lock and the hashing.
 * @module tokensmith/store
 */
export { MemoryTokenStore, type MemoryTokenStoreOptions, type TokenLike, type TokenState, type TokenStore } from '../core/store';
export { credentialIdentity, type IdentityPart } from '../core/identity';
export { sharedStore } from '../core/shared-store';
export type { SharedTokenStore } from '../core/store-key';
