/**
 * The server's sense of time. Every expiry, timestamp-window and rate-limit check reads it, so
 * tests can move it (the `/_admin/clock` control, or an injected base clock) instead of sleeping.
 */

/** A source of the current time in milliseconds since the epoch. */
export interface ServerClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/**
 * A clock that runs `offsetMs` ahead of (or, when negative, behind) its base clock.
 *
 * @example
 * ```ts
 * const clock = new SkewableClock();
 * clock.setOffset(16 * 60_000); // the server now lives 16 minutes in the future
 * ```
 */
export class SkewableClock implements ServerClock {
  private offset = 0;

  /** @param base the underlying clock; `Date.now` unless a test injects its own. */
  constructor(private readonly base: ServerClock = { now: () => Date.now() }) {}

  /** Base time plus the current offset. */
  now(): number {
    return this.base.now() + this.offset;
  }

  /** The current offset from the base clock, in ms. */
  get offsetMs(): number {
    return this.offset;
  }

  /** Sets the offset from the base clock, in ms (replaces, does not add). */
  setOffset(offsetMs: number): void {
    this.offset = offsetMs;
  }
}
