/**
 * Remembers the nonces of accepted TokenRequests so each is used once.
 *
 * A request whose timestamp is outside the window is refused anyway (40104), so a nonce only has
 * to be remembered while its timestamp is inside the window; older ones are swept out. When the
 * store is still mostly full of nonces inside the window, the oldest are dropped down to half and
 * the store stops accepting timestamps at or before the newest dropped one: a dropped nonce can
 * never be replayed.
 */
// Per-entry bookkeeping beyond the id string (Map slot, number), estimated.
const ENTRY_OVERHEAD_BYTES = 64;

export class NonceStore {
  private readonly seen = new Map<string, number>();
  private floor = Number.NEGATIVE_INFINITY;
  private heldBytes = 0;

  /**
   * @param maxEntries most nonces held at once.
   * @param windowMs the TokenRequest timestamp window.
   * @param maxBytes most estimated bytes held (ids at 2 bytes a character plus a fixed overhead).
   */
  constructor(
    private readonly maxEntries: number,
    private readonly windowMs: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** Number of nonces currently held. */
  get size(): number {
    return this.seen.size;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.heldBytes;
  }

  /**
   * Records `nonce` for `keyName` stamped `timestamp`. Answers `'replayed'` if it was seen,
   * `'evicted-window'` if the store can no longer prove it was not (the caller refuses it as not
   * current), else `'fresh'`.
   */
  use(keyName: string, nonce: string, timestamp: number, now: number): 'fresh' | 'replayed' | 'evicted-window' {
    const id = `${keyName}\n${nonce}`;
    if (this.seen.has(id)) return 'replayed';
    if (timestamp <= this.floor) return 'evicted-window';
    const bytes = entryBytes(id);
    if (this.seen.size >= this.maxEntries || this.heldBytes + bytes > this.maxBytes) this.makeRoom(now, bytes);
    this.seen.set(id, timestamp);
    this.heldBytes += bytes;
    return 'fresh';
  }

  /** Forgets every nonce. */
  clear(): void {
    this.seen.clear();
    this.floor = Number.NEGATIVE_INFINITY;
    this.heldBytes = 0;
  }

  // Frees at least a quarter of the store per call, so a full store costs O(n log n) once per
  // n/4 inserts rather than a sweep on every insert.
  private makeRoom(now: number, incomingBytes: number): void {
    const oldestUseful = now - this.windowMs;
    for (const [id, timestamp] of this.seen) if (timestamp < oldestUseful) this.forget(id);
    if (this.seen.size <= this.maxEntries * 0.75 && this.heldBytes + incomingBytes <= this.maxBytes * 0.75) return;
    const byAge = [...this.seen].sort((a, b) => a[1] - b[1]);
    const keepEntries = Math.floor(this.maxEntries / 2);
    for (const [id, timestamp] of byAge) {
      if (this.seen.size <= keepEntries && this.heldBytes + incomingBytes <= this.maxBytes / 2) break;
      this.forget(id);
      this.floor = Math.max(this.floor, timestamp);
    }
  }

  private forget(id: string): void {
    if (this.seen.delete(id)) this.heldBytes -= entryBytes(id);
  }
}

function entryBytes(id: string): number {
  return 2 * id.length + ENTRY_OVERHEAD_BYTES;
}
