/**
 * Fixed one-minute windows per key (client or IP address). Memory stays bounded: only keys seen in
 * the current window are kept, and at most `maxKeys` of them.
 */

/** Outcome of {@link FixedWindowRateLimiter.take}. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts requests per key in fixed windows of `windowMs`. */
export class FixedWindowRateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 10_000,
  ) {}

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
    // When full, forget the oldest key rather than grow: it merely gets a fresh budget.
    if (used === 0 && this.counts.size >= this.maxKeys) {
      const oldest = this.counts.keys().next();
      if (!oldest.done) this.counts.delete(oldest.value);
    }
    this.counts.set(key, used + 1);
    return { allowed: true };
  }

  /** Forgets every count. */
  reset(): void {
    this.counts.clear();
    this.windowStart = Number.NEGATIVE_INFINITY;
  }
}
