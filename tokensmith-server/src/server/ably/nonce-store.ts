/**
 * Remembers the nonces of accepted TokenRequests so each is used once.
 *
 * A request whose timestamp is outside the window is refused anyway (40104), so a nonce only has
 * to be remembered while its timestamp is inside the window; older ones are swept out. When the
 * store is still mostly full of nonces inside the window, the oldest are dropped down to half and
 * the store stops accepting timestamps at or before the newest dropped one: a dropped nonce can
 * never be replayed.
 */
export class NonceStore {
  private readonly seen = new Map<string, number>();
  private floor = Number.NEGATIVE_INFINITY;

  /**
   * @param maxEntries most nonces held at once.
   * @param windowMs the TokenRequest timestamp window.
   */
  constructor(
    private readonly maxEntries: number,
    private readonly windowMs: number,
  ) {}

  /** Number of nonces currently held. */
  get size(): number {
    return this.seen.size;
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
    if (this.seen.size >= this.maxEntries) this.makeRoom(now);
    this.seen.set(id, timestamp);
    return 'fresh';
  }

  /** Forgets every nonce. */
  clear(): void {
    this.seen.clear();
    this.floor = Number.NEGATIVE_INFINITY;
  }

  // Frees at least a quarter of the store per call, so a full store costs O(n log n) once per
  // n/4 inserts rather than a sweep on every insert.
  private makeRoom(now: number): void {
    const oldestUseful = now - this.windowMs;
    for (const [id, timestamp] of this.seen) if (timestamp < oldestUseful) this.seen.delete(id);
    if (this.seen.size <= this.maxEntries * 0.75) return;
    const byAge = [...this.seen].sort((a, b) => a[1] - b[1]);
    const drop = byAge.slice(0, Math.max(1, byAge.length - Math.floor(this.maxEntries / 2)));
    for (const [id, timestamp] of drop) {
      this.seen.delete(id);
      this.floor = Math.max(this.floor, timestamp);
    }
  }
}
