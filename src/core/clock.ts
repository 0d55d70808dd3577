import { InvalidArgumentError } from './errors';
/**
 * The time source tokens are measured against. Expiry checks and refresh windows read
 * {@link Clock.now}, so a known server-time offset (Ably `GET /time`) corrects a skewed host.
 */

/** A clock that reports server time: the host's time plus a known offset. */
export interface Clock {
  /** Milliseconds since the epoch, offset applied. */
  now(): number;
  /**
   * Sets the server-time offset: `serverTime - hostTime`, in ms. Positive when the server is
   * ahead. Later calls replace earlier ones.
   */
  setOffset(offsetMs: number): void;
  /** The offset in force, in ms (0 until one is set). */
  readonly offsetMs: number;
}

/**
 * The default {@link Clock}: `Date.now()` (or an injected source) plus an offset.
 *
 * @example
 * ```ts
 * const clock = new SystemClock();
 * const [serverTime] = await (await fetch(`${base}/time`)).json();
 * clock.setOffset(serverTime - Date.now());
 * const manager = new TokenManager({ fetchToken, clock });
 * ```
 */
export class SystemClock implements Clock {
  private offset = 0;
  private readonly source: (() => number) | undefined;

  /** @param source Host time in ms since the epoch; defaults to `Date.now()`, read on every call. */
  constructor(source?: () => number) {
    this.source = source;
  }

  now(): number {
    // `Date.now()` called here rather than through a default closure: one call fewer on hot paths.
    return (this.source === undefined ? Date.now() : this.source()) + this.offset;
  }

  setOffset(offsetMs: number): void {
    if (!Number.isFinite(offsetMs)) throw new InvalidArgumentError(40003, '"offsetMs" must be a finite number');
    this.offset = offsetMs;
  }

  get offsetMs(): number {
    return this.offset;
  }
}
