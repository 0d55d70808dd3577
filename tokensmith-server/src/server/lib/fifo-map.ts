/**
 * A Map that also knows its insertion order cheaply, for stores bounded by dropping the oldest.
 * (Finding the oldest entry of a plain Map with `keys().next()` after many front deletions walks
 * the deleted slots, which made a full 100 000-token registry slow.)
 *
 * Each entry is one slot object, held both by the map and by the queue in insertion order; a slot
 * deleted or replaced is marked dead, so walking the oldest entries reads the queue alone, never
 * looking keys up in a large map (a cache miss each).
 */
interface Slot<K, V> {
  readonly key: K;
  readonly value: V;
  live: boolean;
}

export class FifoMap<K, V> {
  private readonly entries = new Map<K, Slot<K, V>>();
  private queue: Array<Slot<K, V>> = [];
  private head = 0;

  /** Number of entries. */
  get size(): number {
    return this.entries.size;
  }

  /** The value stored for `key`. */
  get(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Stores `value` as the newest entry (re-setting a key makes it the newest). */
  set(key: K, value: V): void {
    const old = this.entries.get(key);
    if (old) old.live = false;
    this.push(key, value);
  }

  /**
   * Stores `value` for a `key` the caller knows is absent (a fresh random token, a key just
   * looked up), as the newest entry, without looking it up first: one Map operation, not two, in
   * a map of 100 000 entries where each lookup is a cache miss. Adding a key that is present
   * leaves its older entry behind in the queue: use {@link set} unless absence is certain.
   */
  add(key: K, value: V): void {
    this.push(key, value);
  }

  /** Every key, oldest first. */
  keys(): K[] {
    return this.live(Number.POSITIVE_INFINITY).map(([key]) => key);
  }

  /** Up to `count` of the oldest entries, oldest first. */
  oldest(count: number): Array<[K, V]> {
    return this.live(count);
  }

  /** Removes `key`; true if it was present. */
  delete(key: K): boolean {
    const slot = this.entries.get(key);
    if (!slot) return false;
    return this.remove(slot);
  }

  /**
   * Removes and returns the oldest entry among the `scan` oldest whose value passes `test`.
   * Walks the queue in place; the entry returned is the map's own (read-only) record of it.
   */
  takeFirst(scan: number, test: (value: V) => boolean): { readonly key: K; readonly value: V } | undefined {
    let seen = 0;
    for (let i = this.head; i < this.queue.length && seen < scan; i++) {
      const slot = this.queue[i] as Slot<K, V>;
      if (!slot.live) continue;
      seen++;
      if (test(slot.value)) {
        this.remove(slot);
        return slot;
      }
    }
    return undefined;
  }

  /**
   * Removes every entry whose value passes `test`, oldest first, telling `removed` of each;
   * returns how many. Allocates nothing.
   */
  removeEach(test: (value: V) => boolean, removed: (key: K, value: V) => void): number {
    let count = 0;
    const end = this.queue.length;
    for (let i = this.head; i < end; i++) {
      const slot = this.queue[i] as Slot<K, V>;
      if (!slot.live || !test(slot.value)) continue;
      this.remove(slot);
      count++;
      removed(slot.key, slot.value);
    }
    return count;
  }

  /** Calls `visit` with each live entry, oldest first, allocating nothing; `visit` may delete the entry it is given. */
  forEach(visit: (value: V, key: K) => void): void {
    const end = this.queue.length;
    for (let i = this.head; i < end; i++) {
      const slot = this.queue[i] as Slot<K, V>;
      if (slot.live) visit(slot.value, slot.key);
    }
  }

  /** The oldest live entry's key and value, without removing it. */
  peekOldest(): { key: K; value: V } | undefined {
    while (this.head < this.queue.length) {
      const slot = this.queue[this.head] as Slot<K, V>;
      if (slot.live) return slot;
      this.head++;
    }
    return undefined;
  }

  /** Removes and returns the oldest entry (the map's own read-only record of it). */
  shiftOldest(): { readonly key: K; readonly value: V } | undefined {
    while (this.head < this.queue.length) {
      const slot = this.queue[this.head++] as Slot<K, V>;
      if (!slot.live) continue;
      this.remove(slot);
      if (this.head > 1024 && this.head * 2 > this.queue.length) this.compact();
      return slot;
    }
    return undefined;
  }

  /** Removes everything. */
  clear(): void {
    for (const slot of this.entries.values()) slot.live = false;
    this.entries.clear();
    this.queue = [];
    this.head = 0;
  }

  private push(key: K, value: V): void {
    const slot: Slot<K, V> = { key, value, live: true };
    this.entries.set(key, slot);
    this.queue.push(slot);
    if (this.queue.length - this.head > 2 * this.entries.size + 1024) this.compact();
  }

  // The slot is at hand (walking the queue): one Map operation instead of a lookup and a delete.
  private remove(slot: Slot<K, V>): boolean {
    slot.live = false;
    return this.entries.delete(slot.key);
  }

  private live(count: number): Array<[K, V]> {
    const found: Array<[K, V]> = [];
    for (let i = this.head; i < this.queue.length && found.length < count; i++) {
      const slot = this.queue[i] as Slot<K, V>;
      if (slot.live) found.push([slot.key, slot.value]);
      else if (i === this.head) this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) this.compact();
    return found;
  }

  private compact(): void {
    this.queue = this.queue.slice(this.head).filter((slot) => slot.live);
    this.head = 0;
  }
}
