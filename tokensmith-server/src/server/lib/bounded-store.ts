import { FifoMap } from './fifo-map';

/**
 * The one bounded store of the server: entries bounded in number and in estimated bytes, an
 * eviction policy saying what goes when a new entry needs room, and one byte ledger, which two
 * stores can share when they are bounded together (the token registry's tokens and marks).
 */

/** A byte bound and what is held against it; shared by the stores given the same budget. */
export class ByteBudget {
  /** Estimated bytes held by every store on this budget. */
  held = 0;

  /** @param maxBytes most estimated bytes held; unbounded when absent. */
  constructor(readonly maxBytes = Number.POSITIVE_INFINITY) {}
}

/** What goes when a new entry does not fit. */
export interface EvictionPolicy<V> {
  /** Entries that may go before any other, e.g. expired ones. */
  readonly isStale?: (value: V, now: number) => boolean;
  /**
   * How many of the oldest entries are searched for a stale one, one at a time (so a full store
   * costs O(1) per insert). Default: every entry, all stale ones at once.
   */
  readonly staleScan?: number;
  /**
   * `evict-oldest` (default): then the oldest entries go. `refuse`: nothing but stale entries is
   * ever forgotten (forgetting would undo something, as a revocation), and `set` answers false.
   */
  readonly whenFull?: 'evict-oldest' | 'refuse';
  /**
   * When the oldest must go, they go until the store is down to this fraction of its bounds, so
   * a full sweep for stale entries runs once per many inserts, not on each. Default 1: just enough.
   */
  readonly shrinkTo?: number;
}

/** Options of {@link BoundedStore}. */
export interface BoundedStoreOptions<K, V> {
  /** Most entries held. */
  readonly maxEntries: number;
  /** Most estimated bytes held, when the store has its own budget. */
  readonly maxBytes?: number;
  /** A budget shared with other stores; replaces `maxBytes`. */
  readonly budget?: ByteBudget;
  /** Estimated bytes of an entry (strings at 2 bytes a character plus a fixed overhead), worked out once on `set`. */
  readonly sizeOf: (key: K, value: V) => number;
  /** What goes when a new entry needs room; default the oldest. */
  readonly policy?: EvictionPolicy<V>;
  /** Told of every entry evicted to make room (not of `delete`, `clear` or a replaced value). */
  readonly onEvict?: (key: K, value: V) => void;
}

interface Held<V> {
  readonly value: V;
  readonly bytes: number;
}

/**
 * A map bounded in entries and estimated bytes, in insertion order (re-setting a key makes it the
 * newest), that makes room for a new entry by its {@link EvictionPolicy}.
 *
 * @example
 * ```ts
 * const tokens = new BoundedStore<string, Issued>({
 *   maxEntries: 100_000, maxBytes: 64 * 1024 * 1024, sizeOf: (token, issued) => 200 + 2 * token.length,
 *   policy: { isStale: (issued, now) => issued.expires <= now, staleScan: 32 },
 * });
 * tokens.set(token, issued, clock.now());
 * ```
 */
export class BoundedStore<K, V> {
  /** The byte ledger this store holds against (its own, or the one shared). */
  readonly budget: ByteBudget;
  private readonly entries = new FifoMap<K, Held<V>>();
  private readonly maxEntries: number;
  private readonly sizeOf: (key: K, value: V) => number;
  private readonly policy: EvictionPolicy<V>;
  private readonly onEvict: ((key: K, value: V) => void) | undefined;
  private ownBytes = 0;

  constructor(options: BoundedStoreOptions<K, V>) {
    this.maxEntries = options.maxEntries;
    this.budget = options.budget ?? new ByteBudget(options.maxBytes);
    this.sizeOf = options.sizeOf;
    this.policy = options.policy ?? {};
    this.onEvict = options.onEvict;
  }

  /** Number of entries. */
  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes held by this store's entries. */
  get bytes(): number {
    return this.ownBytes;
  }

  /** The value stored for `key`. */
  get(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** True when `key` is held. */
  has(key: K): boolean {
    return this.entries.get(key) !== undefined;
  }

  /** Every key, oldest first. */
  keys(): K[] {
    return this.entries.keys();
  }

  /** Every `[key, value]`, oldest first. */
  all(): Array<[K, V]> {
    return this.entries.oldest(Number.POSITIVE_INFINITY).map(([key, held]) => [key, held.value]);
  }

  /**
   * Stores `value` as the newest entry, making room by the policy first. False when it does not
   * fit: the policy is `refuse` and nothing stale could go, or the entry alone is over the byte bound.
   */
  set(key: K, value: V, now = 0): boolean {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.account(-old.bytes);
    }
    return this.addAbsent(key, value, now);
  }

  /**
   * {@link set} for a `key` the caller knows is not held (a fresh random token, a key `has` just
   * answered false for): the same, without looking the key up, which in a store of 100 000
   * entries is a cache miss per lookup. A key that is held would then be held twice: use `set`
   * unless absence is certain.
   */
  addAbsent(key: K, value: V, now = 0): boolean {
    const bytes = this.sizeOf(key, value);
    if (!this.fits(bytes, 1)) {
      this.makeRoom(bytes, now);
      if (!this.fits(bytes, 1)) return false;
    }
    this.entries.add(key, { value, bytes });
    this.account(bytes);
    return true;
  }

  /** Removes `key`; true if it was held. */
  delete(key: K): boolean {
    const held = this.entries.get(key);
    if (held === undefined) return false;
    this.entries.delete(key);
    this.account(-held.bytes);
    return true;
  }

  /** Evicts every entry whose value passes `test` (told to `onEvict`); returns how many. */
  sweep(test: (value: V) => boolean): number {
    return this.entries.removeEach((held) => test(held.value), this.evicted);
  }

  /** Evicts the oldest entry (told to `onEvict`), e.g. to make room in a budget shared with another store; false when empty. */
  evictOldest(): boolean {
    const oldest = this.entries.shiftOldest();
    if (oldest === undefined) return false;
    this.evicted(oldest.key, oldest.value);
    return true;
  }

  /** Removes everything; the shared budget is given back this store's bytes. */
  clear(): void {
    this.account(-this.ownBytes);
    this.entries.clear();
  }

  private makeRoom(bytes: number, now: number): void {
    const { isStale, staleScan = Number.POSITIVE_INFINITY, whenFull = 'evict-oldest', shrinkTo = 1 } = this.policy;
    if (isStale !== undefined) {
      if (staleScan === Number.POSITIVE_INFINITY) {
        this.sweep((value) => isStale(value, now));
        // Enough was freed when it leaves room for more than this insert; else shrink below.
        if (this.fits(bytes, (1 + shrinkTo) / 2)) return;
      } else {
        const test = (held: Held<V>): boolean => isStale(held.value, now);
        while (!this.fits(bytes, 1)) {
          const stale = this.entries.takeFirst(staleScan, test);
          if (stale === undefined) break;
          this.evicted(stale.key, stale.value);
        }
        if (this.fits(bytes, 1)) return;
      }
    }
    if (whenFull === 'refuse') return;
    while (!this.fits(bytes, shrinkTo)) {
      if (!this.evictOldest()) return;
    }
  }

  // Room for one more entry of `bytes` within `fraction` of both bounds.
  private fits(bytes: number, fraction: number): boolean {
    const entryRoom = fraction >= 1 ? this.maxEntries : Math.floor(this.maxEntries * fraction) + 1;
    return this.entries.size < entryRoom && this.budget.held + bytes <= this.budget.maxBytes * fraction;
  }

  // Books an entry the FIFO map has already removed as evicted.
  private readonly evicted = (key: K, held: Held<V>): void => {
    this.account(-held.bytes);
    this.onEvict?.(key, held.value);
  };

  private account(bytes: number): void {
    this.ownBytes += bytes;
    this.budget.held += bytes;
  }
}
