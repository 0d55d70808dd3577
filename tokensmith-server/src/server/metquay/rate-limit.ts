import { BoundedStore } from '../lib/bounded-store';

/**
 * Fixed one-minute windows per key (client or IP address). Memory stays bounded: only keys seen in
 * the current window are kept, at most `maxKeys` of them and `maxBytes` (estimated) in all.
 */

/** Outcome of {@link FixedWindowRateLimiter.take}. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

// Per-key bookkeeping beyond the key text (map entry, slot, number), estimated.
const ENTRY_OVERHEAD_BYTES = 64;

/** Counts requests per key in fixed windows of `windowMs`. */
export class FixedWindowRateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private readonly counts: BoundedStore<string, number>;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    maxKeys = 10_000,
    maxBytes = 2 * 1024 * 1024,
  ) {
    // When full, the oldest key is forgotten rather than the store grown: it merely gets a fresh budget.
    this.counts = new BoundedStore<string, number>({ maxEntries: maxKeys, maxBytes, sizeOf: (key) => 2 * key.length + ENTRY_OVERHEAD_BYTES });
  }

  /** Keys counted in the current window. */
  get size(): number {
    return this.counts.size;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.counts.bytes;
  }

  /** Counts one request for `key` at `nowMs`; refuses it when the window's budget is spent. */
  take(key: string, nowMs: number): RateLimitDecision {
    const start = Math.floor(nowMs / this.windowMs) * this.windowMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.counts.clear();
    }
    const used = this.counts.get(key) ?? 0;
    if (used >= this.limit) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((start + this.windowMs - nowMs) / 1000)) };
    }
    // A key keeps its age while counted (Map order), so the first seen in the window goes first.
    if (used === 0) this.counts.addAbsent(key, 1);
    else this.counts.update(key, used + 1);
    return { allowed: true };
  }

  /** Forgets every count. */
  reset(): void {
    this.counts.clear();
    this.windowStart = Number.NEGATIVE_INFINITY;
  }
}
