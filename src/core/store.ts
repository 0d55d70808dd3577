import { PrintsSafely } from './printable';
import { STORE_SYNC_KIT } from './shared-store';
import { STORE_SYNC, type SharedTokenStore, type StoreSyncKit } from './store-key';
/**
 * Where token state is shared beyond one {@link TokenManager}: between managers in one process,
 * or across a fleet (a Redis store implements the same interface). The in-memory store is the
 * reference for the semantics every store must keep. Stores and their machinery are the
 * `tokensmith/store` entry, so bundles that never share tokens never carry them.
 */
export { credentialIdentity, type IdentityPart } from './identity';

/** What the managers need of a token: its string and, when it expires, when. */
export interface TokenLike {
  /** The token string. A secret. */
  token: string;
  /** Expiry in ms since the epoch (server time). Absent: the token does not expire. */
  expiresAt?: number;
  /**
   * Issue time in ms since the epoch, server time. When present with `expiresAt`, the lifetime
   * `expiresAt - issuedAt` is counted from when the fetch was sent, so host clock skew does not
   * matter.
   */
  issuedAt?: number;
}

/**
 * A token as stored and exported: the value a provider fetched plus when this process considers
 * it obtained and expired, in {@link Clock} time. JSON-serialisable when `T` is. Holds a token:
 * keep it as secret as the credential.
 */
export interface TokenState<T extends TokenLike = TokenLike> {
  /** What `fetchToken` returned. */
  value: T;
  /** When the fetch that produced it was sent (ms since the epoch). */
  obtainedAt: number;
  /** When it stops being usable (ms since the epoch); absent for a token that does not expire. */
  expiresAt?: number;
}

/**
 * Shared token state, keyed by a credential identity (`credentialIdentity()` from `tokensmith/store`) that never
 * contains a secret.
 *
 * Fleet single-flight (optional `acquireLock`/`releaseLock`): a manager that needs a token reads
 * the store; on a miss it calls `acquireLock(key, owner, ttlMs)`. The winner reads once more,
 * fetches, `set`s, then `releaseLock`s; while its fetch runs it renews the short lock every
 * `ttlMs / 3` with `extendLock`. The others poll: `waitForUpdate` (or a bounded backoff sleep when
 * it is absent), then `get`, then `acquireLock` again; so a released or expired lock (holder
 * failed, or died and stopped renewing) lets the next waiter take over.
 *
 * Every method may reject (a store being down); managers then log and fall back to fetching on
 * their own, because the store is an optimisation, never a point of failure.
 *
 * A store of your own is passed as `store` wrapped in `sharedStore()` from `tokensmith/store`.
 */
export interface TokenStore {
  /** The state under `key`, or `undefined` when absent or past its TTL. */
  get<T extends TokenLike>(key: string): Promise<TokenState<T> | undefined>;
  /** Stores `state` under `key` for `ttlMs` (a positive integer; the token's remaining life). */
  set<T extends TokenLike>(key: string, state: TokenState<T>, ttlMs: number): Promise<void>;
  /** Removes `key`'s state. */
  delete(key: string): Promise<void>;
  /**
   * Takes the fetch lock for `key` for `ttlMs` if it is free, expired, or already `owner`'s;
   * `true` when `owner` now holds it. (Redis: `SET lockKey owner NX PX ttlMs`.)
   */
  acquireLock?(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /**
   * Extends the lock to `ttlMs` from now if `owner` still holds it (compare-and-set); `false` when
   * it lapsed or another owner has it. Without it, holders renew with `acquireLock`.
   */
  extendLock?(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases the lock if `owner` still holds it (compare-and-delete); otherwise does nothing. */
  releaseLock?(key: string, owner: string): Promise<void>;
  /**
   * Resolves when `key`'s state or lock changes, or after `timeoutMs`, whichever is first; never
   * rejects on timeout. Optional: without it, waiters sleep with bounded backoff between polls.
   * (Redis: a pub/sub message published on `set` and `releaseLock`.)
   */
  waitForUpdate?(key: string, timeoutMs: number): Promise<void>;
}

/** Options of {@link MemoryTokenStore}. */
export interface MemoryTokenStoreOptions {
  /** Time source for TTLs, ms since the epoch; `Date.now()` by default. */
  now?: (() => number) | undefined;
}

interface Slot {
  value: unknown;
  deadline: number;
}

/**
 * The in-process {@link TokenStore}: a Map with TTLs, locks and update notification, for sharing
 * tokens between managers in one process and as the reference for other stores.
 *
 * @example
 * ```ts
 * import { MemoryTokenStore, credentialIdentity } from 'tokensmith/store';
 * const store = new MemoryTokenStore();
 * const storeKey = credentialIdentity({ provider: 'custom', clientId });
 * const a = new TokenManager({ fetchToken, store, storeKey });
 * const b = new TokenManager({ fetchToken, store, storeKey }); // shares a's token
 * ```
 */
export class MemoryTokenStore extends PrintsSafely implements SharedTokenStore {
  readonly #states = new Map<string, Slot>();
  readonly #locks = new Map<string, Slot>();
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #now: () => number;

  constructor(options: MemoryTokenStoreOptions = {}) {
    super();
    this.#now = options.now ?? (() => Date.now());
  }

  /** The sync machinery managers share tokens through. */
  get [STORE_SYNC](): StoreSyncKit {
    return STORE_SYNC_KIT;
  }

  /** How many keys hold a state; printing the store shows this, never a token. */
  get size(): number {
    return this.#states.size;
  }

  /** Public facts only: how many keys it holds. */
  toJSON(): { size: number } {
    return { size: this.#states.size };
  }

  /** `MemoryTokenStore {"size":n}`. */
  override toString(): string {
    return `MemoryTokenStore ${JSON.stringify(this.toJSON())}`;
  }


  async get<T extends TokenLike>(key: string): Promise<TokenState<T> | undefined> {
    return this.#live(this.#states, key)?.value as TokenState<T> | undefined;
  }

  async set<T extends TokenLike>(key: string, state: TokenState<T>, ttlMs: number): Promise<void> {
    this.#states.set(key, { value: state, deadline: this.#now() + ttlMs });
    this.#notify(key);
  }

  async delete(key: string): Promise<void> {
    if (this.#states.delete(key)) this.#notify(key);
  }

  async acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const held = this.#live(this.#locks, key);
    if (held && held.value !== owner) return false;
    this.#locks.set(key, { value: owner, deadline: this.#now() + ttlMs });
    return true;
  }

  async extendLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const held = this.#live(this.#locks, key);
    if (held?.value !== owner) return false;
    held.deadline = this.#now() + ttlMs;
    return true;
  }

  async releaseLock(key: string, owner: string): Promise<void> {
    if (this.#locks.get(key)?.value !== owner) return;
    this.#locks.delete(key);
    this.#notify(key);
  }

  waitForUpdate(key: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let waiting = this.#listeners.get(key);
      if (!waiting) this.#listeners.set(key, (waiting = new Set()));
      const set = waiting;
      const done = (): void => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.#listeners.get(key) === set) this.#listeners.delete(key);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      set.add(done);
    });
  }

  #live(map: Map<string, Slot>, key: string): Slot | undefined {
    const slot = map.get(key);
    if (slot && slot.deadline <= this.#now()) {
      map.delete(key);
      return undefined;
    }
    return slot;
  }

  #notify(key: string): void {
    const waiting = this.#listeners.get(key);
    if (waiting) for (const done of [...waiting]) done();
  }
}
