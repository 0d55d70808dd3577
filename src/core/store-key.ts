import { InvalidArgumentError } from './errors';
import type { IdentityPart } from './identity';
import type { TokenLike, TokenState, TokenStore } from './store';
import type { StoreSync } from './store-sync';

/**
 * Where a store usable by {@link TokenManager} carries its sync machinery (fleet lock, lock renewal,
 * credential identity). A registered symbol, so a store made by the CommonJS copy of tokensmith
 * works with the ESM copy too. The machinery comes in only with a store: bundles that never pass
 * one never carry it.
 */
export const STORE_SYNC: unique symbol = Symbol.for('tokensmith.storeSync');

/** What a shared store brings to the managers that use it. */
export interface StoreSyncKit {
  /** Binds a manager to the store: the returned function gets a token through it. */
  share<T extends TokenLike>(sync: StoreSync<T>): () => Promise<TokenState<T>>;
  /** The store key of a credential: `credentialIdentity` from `tokensmith/store`. */
  identity(parts: { readonly [key: string]: IdentityPart }): string;
}

/**
 * A {@link TokenStore} that managers can share tokens through: `MemoryTokenStore` and
 * `sharedStore(store)` from `tokensmith/store`, `RedisTokenStore` from `tokensmith/redis`.
 */
export interface SharedTokenStore extends TokenStore {
  /** The sync machinery; set by `sharedStore()` and the built-in stores. */
  readonly [STORE_SYNC]: StoreSyncKit;
}

/** The kit `store` carries; throws 40003 naming the fix when `store` was not made shared. */
export function kitOf(store: unknown): StoreSyncKit {
  const kit = (store as Partial<SharedTokenStore> | null)?.[STORE_SYNC];
  if (kit === undefined) throw new InvalidArgumentError(40003, '"store" is not a shared store: wrap a custom store with sharedStore() from tokensmith/store');
  return kit;
}
