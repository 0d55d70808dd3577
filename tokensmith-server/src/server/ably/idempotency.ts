import { FifoMap } from '../lib/fifo-map';

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
  private readonly seen = new FifoMap<string, number>();
  private heldBytes = 0;

  /**
   * @param maxBytes most estimated bytes held (keys at 2 bytes a character plus a fixed overhead);
   *   past it the oldest ids are forgotten early.
   * @param windowMs how long an id is remembered.
   */
  constructor(
    private readonly maxBytes: number,
    private readonly windowMs = IDEMPOTENCY_WINDOW_MS,
  ) {}

  /** Ids remembered. */
  get size(): number {
    return this.seen.size;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** True when `id` was published on `channel` within the window (as of `now`). */
  has(channel: string, id: string, now: number): boolean {
    this.expire(now);
    return this.seen.get(key(channel, id)) !== undefined;
  }

  /** Remembers `id` on `channel` from `now`. */
  remember(channel: string, id: string, now: number): void {
    this.expire(now);
    const entry = key(channel, id);
    if (this.seen.get(entry) !== undefined) return;
    const bytes = entryBytes(entry);
    if (bytes > this.maxBytes) return;
    while (this.heldBytes + bytes > this.maxBytes) this.dropOldest();
    this.seen.set(entry, now);
    this.heldBytes += bytes;
  }

  /** Forgets every id. */
  clear(): void {
    this.seen.clear();
    this.heldBytes = 0;
  }

  private expire(now: number): void {
    for (;;) {
      const [oldest] = this.seen.oldest(1);
      if (!oldest || oldest[1] > now - this.windowMs) return;
      this.dropOldest();
    }
  }

  private dropOldest(): void {
    const dropped = this.seen.evictOldest();
    if (dropped !== undefined) this.heldBytes -= entryBytes(dropped);
  }
}

function key(channel: string, id: string): string {
  return `${channel}\n${id}`;
}

function entryBytes(entry: string): number {
  return 2 * entry.length + ENTRY_OVERHEAD_BYTES;
}
