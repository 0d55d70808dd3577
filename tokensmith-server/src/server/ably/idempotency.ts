import { BoundedStore } from '../lib/bounded-store';

/**
 * Remembers published message ids so a retried publish is stored once (RSL1k). An id counts for
 * `windowMs` after it was first seen (Ably documents two minutes); ids are kept per channel.
 *
 * Ids are remembered in arrival order, and server time only moves forwards, so the oldest entry is
 * always the first to expire: expiry and the byte bound both drop from the front.
 */
// Per-entry bookkeeping beyond the key text (slot object, map entry, number), estimated.
const ENTRY_OVERHEAD_BYTES = 96;

/** Ably's idempotency window for REST publishes. */
export const IDEMPOTENCY_WINDOW_MS = 2 * 60_000;

export class IdempotencyStore {
  private readonly seen: BoundedStore<string, number>;

  /**
   * @param maxBytes most estimated bytes held (keys at 2 bytes a character plus a fixed overhead);
   *   past it the oldest ids are forgotten early.
   * @param windowMs how long an id is remembered.
   */
  constructor(
    maxBytes: number,
    private readonly windowMs = IDEMPOTENCY_WINDOW_MS,
  ) {
    this.seen = new BoundedStore<string, number>({
      maxEntries: Number.POSITIVE_INFINITY,
      maxBytes,
      sizeOf: (entry) => 2 * entry.length + ENTRY_OVERHEAD_BYTES,
    });
  }

  /** Ids remembered. */
  get size(): number {
    return this.seen.size;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.seen.bytes;
  }

  /** True when `id` was published on `channel` within the window (as of `now`). */
  has(channel: string, id: string, now: number): boolean {
    this.expire(now);
    return this.seen.has(key(channel, id));
  }

  /** Remembers `id` on `channel` from `now` (not when the id alone is over the byte bound). */
  remember(channel: string, id: string, now: number): void {
    this.expire(now);
    const entry = key(channel, id);
    if (!this.seen.has(entry)) this.seen.addAbsent(entry, now);
  }

  /** Forgets every id. */
  clear(): void {
    this.seen.clear();
  }

  private expire(now: number): void {
    const oldestKept = now - this.windowMs;
    this.seen.pruneOldest((seenAt) => seenAt <= oldestKept);
  }
}

function key(channel: string, id: string): string {
  return `${channel}\n${id}`;
}
