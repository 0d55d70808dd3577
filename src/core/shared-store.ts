import { InvalidArgumentError } from './errors';
import { credentialIdentity } from './identity';
import { STORE_SYNC, type SharedTokenStore, type StoreSyncKit } from './store-key';
import type { TokenStore } from './store';
import { shareThroughStore } from './store-sync';

/** The sync machinery every shared store carries under {@link STORE_SYNC}. */
export const STORE_SYNC_KIT: StoreSyncKit = /* @__PURE__ */ Object.freeze({ share: shareThroughStore, identity: credentialIdentity });

/**
 * Makes your own {@link TokenStore} usable as a provider's or a `TokenManager`'s `store`: adds the
 * fleet lock, lock renewal and credential identity it needs, under a hidden symbol, and returns
 * the same object. `MemoryTokenStore` and `RedisTokenStore` need no wrapping.
 *
 * @throws {InvalidArgumentError} 40003 when `store` lacks `get`, `set` or `delete`, or cannot take
 * a property (frozen).
 *
 * @example
 * ```ts
 * import { sharedStore } from 'tokensmith/store';
 * const store = sharedStore({ get, set, delete: remove, acquireLock, releaseLock });
 * const auth = new MetquayAuth({ accessKey, secretKey, store });
 * ```
 */
export function sharedStore<S extends TokenStore>(store: S): S & SharedTokenStore {
  for (const method of ['get', 'set', 'delete'] as const) {
    if (typeof store?.[method] !== 'function') throw new InvalidArgumentError(40003, `sharedStore(store): "store.${method}" must be a function`);
  }
  if (!(STORE_SYNC in store)) {
    if (!Object.isExtensible(store)) throw new InvalidArgumentError(40003, 'sharedStore(store): "store" must be extensible (not frozen or sealed)');
    Object.defineProperty(store, STORE_SYNC, { value: STORE_SYNC_KIT });
  }
  return store as S & SharedTokenStore;
}
