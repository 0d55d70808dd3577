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
export interface EvictionPolicy<V, K = unknown> {
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
  /**
   * Asked, when only bytes are short, to free part of the oldest entry (`excess` bytes are
   * wanted) before it is evicted whole; answers the bytes it freed from the value in place. 0, or
   * all of the entry's bytes, evicts it whole. E.g. the message log drops the oldest messages of
   * the channel written least recently, not the whole channel.
   */
  readonly reclaim?: (key: K, value: V, excess: number) => number;
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
  readonly policy?: EvictionPolicy<V, K>;
  /** Told of every entry evicted to make room (not of `delete`, `clear` or a replaced value). */
  readonly onEvict?: (key: K, value: V) => void;
}

// Mutable so `update` and `reclaim` re-measure an entry without moving it.
interface Held<V> {
  value: V;
  bytes: number;
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
  private readonly policy: EvictionPolicy<V, K>;
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

  /** Every value, oldest first. */
  values(): V[] {
    const values: V[] = [];
    this.entries.forEach((held) => values.push(held.value));
    return values;
  }

  /** The oldest value passing `test`. */
  find(test: (value: V, key: K) => boolean): V | undefined {
    for (const [key, held] of this.entries.oldest(Number.POSITIVE_INFINITY)) if (test(held.value, key)) return held.value;
    return undefined;
  }

  /**
   * Stores `value` as the newest entry, making room by the policy first. False when it does not
   * fit: the entry alone is over the byte bound (then nothing changes, an old value stays), or the
   * policy is `refuse` and nothing stale could go.
   */
  set(key: K, value: V, now = 0): boolean {
    const bytes = this.sizeOf(key, value);
    if (bytes > this.budget.maxBytes) return false;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.account(-old.bytes);
    }
    return this.insert(key, value, bytes, now);
  }

  /**
   * {@link set} for a `key` the caller knows is not held (a fresh random token, a key `has` just
   * answered false for): the same, without looking the key up, which in a store of 100 000
   * entries is a cache miss per lookup. A key that is held would then be held twice: use `set`
   * unless absence is certain.
   */
  addAbsent(key: K, value: V, now = 0): boolean {
    const bytes = this.sizeOf(key, value);
    if (bytes > this.budget.maxBytes) return false;
    return this.insert(key, value, bytes, now);
  }

  // Adds an absent key as the newest entry once the policy made room.
  private insert(key: K, value: V, bytes: number, now: number): boolean {
    if (!this.fits(bytes, 1, 1)) {
      this.makeRoom(bytes, 1, now);
      if (!this.fits(bytes, 1, 1)) return false;
    }
    this.entries.add(key, { value, bytes });
    this.account(bytes);
    return true;
  }

  /**
   * Replaces the value of a held entry in place (it keeps its age) and re-measures it, making room
   * by the policy when it grew. False when `key` is not held, or the entry no longer fits: alone
   * over the byte bound, or evicted itself to make room (either way it is then gone, told to `onEvict`).
   */
  update(key: K, value: V, now = 0): boolean {
    const held = this.entries.get(key);
    if (held === undefined) return false;
    const grown = this.sizeOf(key, value) - held.bytes;
    held.value = value;
    held.bytes += grown;
    this.account(grown);
    if (held.bytes > this.budget.maxBytes) {
      this.entries.delete(key);
      this.evicted(key, held);
      return false;
    }
    if (grown > 0 && !this.fits(0, 1, 0)) this.makeRoom(0, 0, now);
    return this.entries.get(key) === held;
  }

  /** Evicts the oldest entries (told to `onEvict`) while they pass `test`; returns how many. */
  pruneOldest(test: (value: V, key: K) => boolean): number {
    let removed = 0;
    for (let oldest = this.entries.peekOldest(); oldest !== undefined && test(oldest.value.value, oldest.key); oldest = this.entries.peekOldest()) {
      this.evictOldest();
      removed += 1;
    }
    return removed;
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

  // Makes room for `adding` more entries (0 or 1) of `bytes` more.
  private makeRoom(bytes: number, adding: 0 | 1, now: number): void {
    const { isStale, staleScan = Number.POSITIVE_INFINITY, whenFull = 'evict-oldest', shrinkTo = 1, reclaim } = this.policy;
    if (isStale !== undefined) {
      if (staleScan === Number.POSITIVE_INFINITY) {
        this.sweep((value) => isStale(value, now));
        // Enough was freed when it leaves room for more than this insert; else shrink below.
        if (this.fits(bytes, (1 + shrinkTo) / 2, adding)) return;
      } else {
        const test = (held: Held<V>): boolean => isStale(held.value, now);
        while (!this.fits(bytes, 1, adding)) {
          const stale = this.entries.takeFirst(staleScan, test);
          if (stale === undefined) break;
          this.evicted(stale.key, stale.value);
        }
        if (this.fits(bytes, 1, adding)) return;
      }
    }
    if (whenFull === 'refuse') return;
    while (!this.fits(bytes, shrinkTo, adding)) {
      const oldest = this.entries.peekOldest();
      if (oldest === undefined) return;
      const held = oldest.value;
      if (reclaim !== undefined && this.hasEntryRoom(shrinkTo, adding)) {
        const freed = reclaim(oldest.key, held.value, this.budget.held + bytes - this.budget.maxBytes * shrinkTo);
        if (freed > 0 && freed < held.bytes) {
          held.bytes -= freed;
          this.account(-freed);
          continue;
        }
      }
      this.evictOldest();
    }
  }

  // Room for `adding` more entries (0 or 1) of `bytes` more within `fraction` of both bounds.
  private fits(bytes: number, fraction: number, adding: 0 | 1): boolean {
    return this.hasEntryRoom(fraction, adding) && this.budget.held + bytes <= this.budget.maxBytes * fraction;
  }

  private hasEntryRoom(fraction: number, adding: 0 | 1): boolean {
    const entryRoom = fraction >= 1 ? this.maxEntries : Math.floor(this.maxEntries * fraction) + 1;
    return this.entries.size + adding <= entryRoom;
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
