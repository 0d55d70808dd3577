/**
 * Remembers the nonces of accepted TokenRequests so each is used once.
 *
 * A request whose timestamp is outside the window is refused anyway (40104), so a nonce only has
 * to be remembered while its timestamp is inside the window; older ones are swept out. When the
 * store is still mostly full of nonces inside the window, the oldest are dropped down to half and
 * the store stops accepting timestamps at or before the newest dropped one: a dropped nonce can
 * never be replayed. (Every evicted nonce raises that floor, also one swept out of the window: a
 * clock moved back by the test controls cannot bring it back.)
 *
 * Every accepted TokenRequest lands here, so the layout is chosen for that path: one Set of nonce
 * strings per key name (no `key\nnonce` string made per request) and the insertion order in
 * parallel arrays (a Set reference, the nonce, its timestamp, its size), so a held nonce costs its
 * string and a Set slot, not a record and a queue slot on top, and the collector has that much
 * less to mark. Eviction walks the arrays from the oldest end.
 */
// Per-entry bookkeeping beyond the nonce and key strings (Set slot, four array slots, number), estimated.
const ENTRY_OVERHEAD_BYTES = 64;
// Dropped-from-the-front slots are cut off once there are this many and they are half the arrays.
const COMPACT_AFTER = 1024;

/** What the store says of a nonce: unseen, seen, or too old to tell. */
export type NonceOutcome = 'fresh' | 'replayed' | 'evicted-window';

function entryBytes(keyName: string, nonce: string): number {
  return 2 * (keyName.length + 1 + nonce.length) + ENTRY_OVERHEAD_BYTES;
}

export class NonceStore {
  private readonly byKey = new Map<string, Set<string>>();
  // Insertion order, oldest at `head`: which Set holds the nonce, the nonce, its timestamp, its bytes.
  private owners: Array<Set<string>> = [];
  private nonces: string[] = [];
  private stamps: number[] = [];
  private sizes: number[] = [];
  private head = 0;
  private heldBytes = 0;
  private floor = Number.NEGATIVE_INFINITY;

  /**
   * @param maxEntries most nonces held at once.
   * @param windowMs the TokenRequest timestamp window.
   * @param maxBytes most estimated bytes held (`key\nnonce` at 2 bytes a character plus a fixed overhead).
   */
  constructor(
    private readonly maxEntries: number,
    private readonly windowMs: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** Number of nonces currently held. */
  get size(): number {
    return this.nonces.length - this.head;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.heldBytes;
  }

  /**
   * What {@link use} would answer for `nonce`, recording nothing. A `'fresh'` answer holds for a
   * `use` made before anything else touches the store.
   */
  check(keyName: string, nonce: string, timestamp: number): NonceOutcome {
    if (this.byKey.get(keyName)?.has(nonce) === true) return 'replayed';
    return timestamp <= this.floor || entryBytes(keyName, nonce) > this.maxBytes ? 'evicted-window' : 'fresh';
  }

  /**
   * Records `nonce` for `keyName` stamped `timestamp`. Answers `'replayed'` if it was seen,
   * `'evicted-window'` if the store can no longer prove it was not (the caller refuses it as not
   * current), else `'fresh'`.
   */
  use(keyName: string, nonce: string, timestamp: number, now: number): NonceOutcome {
    let seen = this.byKey.get(keyName);
    if (seen === undefined) {
      seen = new Set();
      this.byKey.set(keyName, seen);
    }
    // One hash-table operation both asks "seen before?" and records the answer.
    const before = seen.size;
    seen.add(nonce);
    if (seen.size === before) return 'replayed';
    const bytes = entryBytes(keyName, nonce);
    // Not held means it cannot be proven unused later: refuse it as not current.
    if (timestamp <= this.floor || !this.makeRoom(bytes, now)) {
      seen.delete(nonce);
      return 'evicted-window';
    }
    this.owners.push(seen);
    this.nonces.push(nonce);
    this.stamps.push(timestamp);
    this.sizes.push(bytes);
    this.heldBytes += bytes;
    return 'fresh';
  }

  /** Forgets every nonce. */
  clear(): void {
    this.byKey.clear();
    this.owners = [];
    this.nonces = [];
    this.stamps = [];
    this.sizes = [];
    this.head = 0;
    this.heldBytes = 0;
    this.floor = Number.NEGATIVE_INFINITY;
  }

  // Room for one more nonce of `bytes`: out-of-window nonces go first, all at once, and when that
  // leaves less than a quarter free, the oldest go down to half, so the sweep runs once per many inserts.
  private makeRoom(bytes: number, now: number): boolean {
    if (bytes > this.maxBytes) return false;
    if (this.fits(bytes, 1)) return true;
    this.sweep(now - this.windowMs);
    if (!this.fits(bytes, 0.75)) while (!this.fits(bytes, 0.5) && this.size > 0) this.evictOldest();
    return this.fits(bytes, 1);
  }

  // Room for one more entry of `bytes` within `fraction` of both bounds.
  private fits(bytes: number, fraction: number): boolean {
    const entryRoom = fraction >= 1 ? this.maxEntries : Math.floor(this.maxEntries * fraction) + 1;
    return this.size + 1 <= entryRoom && this.heldBytes + bytes <= this.maxBytes * fraction;
  }

  private evictOldest(): void {
    const i = this.head++;
    this.forget(i);
    if (this.head > COMPACT_AFTER && this.head * 2 > this.nonces.length) this.compact(this.head);
  }

  // Drops every nonce stamped before `oldest`, keeping the others in order.
  private sweep(oldest: number): void {
    const { owners, nonces, stamps, sizes } = this;
    let kept = this.head;
    for (let i = this.head; i < nonces.length; i++) {
      if (stamps[i]! < oldest) {
        this.forget(i);
        continue;
      }
      owners[kept] = owners[i]!;
      nonces[kept] = nonces[i]!;
      stamps[kept] = stamps[i]!;
      sizes[kept] = sizes[i]!;
      kept++;
    }
    owners.length = nonces.length = stamps.length = sizes.length = kept;
  }

  // Evicts the nonce at slot `i` (its slot is then dropped by the caller).
  private forget(i: number): void {
    this.owners[i]!.delete(this.nonces[i]!);
    this.heldBytes -= this.sizes[i]!;
    this.floor = Math.max(this.floor, this.stamps[i]!);
  }

  // Cuts the first `count` slots off the arrays.
  private compact(count: number): void {
    for (const column of [this.owners, this.nonces, this.stamps, this.sizes] as unknown[][]) {
      column.copyWithin(0, count);
      column.length -= count;
    }
    this.head -= count;
  }
}
