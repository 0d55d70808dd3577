/**
 * A Map that also knows its insertion order cheaply, for stores bounded by dropping the oldest.
 * (Finding the oldest entry of a plain Map with `keys().next()` after many front deletions walks
 * the deleted slots, which made a full 100 000-token registry slow.)
 */
export class FifoMap<K, V> {
  private readonly entries = new Map<K, { value: V; seq: number }>();
  private queue: Array<{ key: K; seq: number }> = [];
  private head = 0;
  private nextSeq = 0;

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
    const seq = this.nextSeq++;
    this.entries.set(key, { value, seq });
    this.queue.push({ key, seq });
    if (this.queue.length - this.head > 2 * this.entries.size + 1024) this.compact();
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
    return this.entries.delete(key);
  }

  /** Removes and returns the oldest key. */
  evictOldest(): K | undefined {
    const [first] = this.live(1);
    if (!first) return undefined;
    this.entries.delete(first[0]);
    return first[0];
  }

  /** Removes everything. */
  clear(): void {
    this.entries.clear();
    this.queue = [];
    this.head = 0;
  }

  private live(count: number): Array<[K, V]> {
    const found: Array<[K, V]> = [];
    for (let i = this.head; i < this.queue.length && found.length < count; i++) {
      const slot = this.queue[i] as { key: K; seq: number };
      const entry = this.entries.get(slot.key);
      if (entry?.seq === slot.seq) found.push([slot.key, entry.value]);
      else if (i === this.head) this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) this.compact();
    return found;
  }

  private compact(): void {
    this.queue = this.queue.slice(this.head).filter((slot) => this.entries.get(slot.key)?.seq === slot.seq);
    this.head = 0;
  }
}
