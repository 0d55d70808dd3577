import { BoundedStore } from '../lib/bounded-store';

/**
 * Remembers the nonces of accepted TokenRequests so each is used once.
 *
 * A request whose timestamp is outside the window is refused anyway (40104), so a nonce only has
 * to be remembered while its timestamp is inside the window; older ones are swept out. When the
 * store is still mostly full of nonces inside the window, the oldest are dropped down to half and
 * the store stops accepting timestamps at or before the newest dropped one: a dropped nonce can
 * never be replayed. (Every evicted nonce raises that floor, also one swept out of the window: a
 * clock moved back by the test controls cannot bring it back.)
 */
// Per-entry bookkeeping beyond the id string (Map slot, FIFO slot, number), estimated.
const ENTRY_OVERHEAD_BYTES = 64;

export class NonceStore {
  private readonly seen: BoundedStore<string, number>;
  private floor = Number.NEGATIVE_INFINITY;

  /**
   * @param maxEntries most nonces held at once.
   * @param windowMs the TokenRequest timestamp window.
   * @param maxBytes most estimated bytes held (ids at 2 bytes a character plus a fixed overhead).
   */
  constructor(maxEntries: number, windowMs: number, maxBytes = Number.POSITIVE_INFINITY) {
    this.seen = new BoundedStore<string, number>({
      maxEntries,
      maxBytes,
      sizeOf: (id) => 2 * id.length + ENTRY_OVERHEAD_BYTES,
      // Out-of-window nonces go first, all at once; then the oldest, down to half, so the sweep
      // runs once per many inserts.
      policy: { isStale: (timestamp, now) => timestamp < now - windowMs, shrinkTo: 0.5 },
      onEvict: (_id, timestamp) => {
        this.floor = Math.max(this.floor, timestamp);
      },
    });
  }

  /** Number of nonces currently held. */
  get size(): number {
    return this.seen.size;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.seen.bytes;
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
    // Not held means it cannot be proven unused later: refuse it as not current.
    return this.seen.addAbsent(id, timestamp, now) ? 'fresh' : 'evicted-window';
  }

  /** Forgets every nonce. */
  clear(): void {
    this.seen.clear();
    this.floor = Number.NEGATIVE_INFINITY;
  }
}
