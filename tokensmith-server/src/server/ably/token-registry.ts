import { BoundedStore, ByteBudget } from '../lib/bounded-store';
import type { CapabilityMap } from './capability-rules';

/** What the server remembers about a token it issued. */
export interface IssuedToken {
  /** Name of the key that issued it. */
  keyName: string;
  /** ms since the epoch. */
  issued: number;
  /** ms since the epoch; at or after this the token is expired (40142). */
  expires: number;
  /** What it may do. */
  capability: CapabilityMap;
  /** Bound client identity; `*` for any, undefined for anonymous. */
  clientId: string | undefined;
}

/** A mark the test controls put on a token string: issued here or not (e.g. an Ably JWT). */
export type TokenMark = 'expired' | 'revoked';

const EXPIRED_SCAN = 32;
// Per-entry bookkeeping beyond the strings themselves (Map slot, record, FIFO slot), estimated.
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * Issued opaque tokens, and marks on any token string. Both are bounded in entries and together in
 * estimated bytes (strings at 2 bytes a character plus a fixed overhead per entry): past either
 * bound an expired token among the 32 oldest goes first, else the oldest of all (which then
 * answers 40143); a mark past the bound drops the oldest mark.
 */
export class TokenRegistry {
  private readonly tokens: IssuedTokens;
  private readonly marks: BoundedStore<string, TokenMark>;

  constructor(maxEntries: number, maxBytes = Number.POSITIVE_INFINITY) {
    const budget = new ByteBudget(maxBytes);
    this.tokens = new IssuedTokens(maxEntries, budget);
    this.marks = new BoundedStore<string, TokenMark>({ maxEntries, budget, sizeOf: (token) => 2 * token.length + ENTRY_OVERHEAD_BYTES });
  }

  /** Number of tokens held. */
  get size(): number {
    return this.tokens.size;
  }

  /** Estimated bytes held by tokens and marks; at most `maxBytes`. */
  get bytes(): number {
    return this.tokens.budget.held;
  }

  /**
   * Remembers a freshly issued token (one alone over the byte bound is not remembered: it answers
   * 40143). The token must be new (issued from fresh random bytes): it is not looked up first.
   */
  add(token: string, details: IssuedToken, now: number): void {
    this.tokens.add(token, details, now);
  }

  /** The details of an issued token, if still remembered. */
  get(token: string): IssuedToken | undefined {
    return this.tokens.get(token);
  }

  /** The test-control mark on a token string, if any. */
  markOf(token: string): TokenMark | undefined {
    return this.marks.get(token);
  }

  /** Marks a token string (issued here or a JWT) expired or revoked. */
  mark(token: string, mark: TokenMark): void {
    // A mark always lands: when tokens fill the shared bytes, the oldest token goes to make room.
    while (!this.marks.set(token, mark)) {
      if (!this.tokens.evictOldest()) return;
    }
  }

  /** Marks every remembered issued token; returns how many. */
  markAll(mark: TokenMark): number {
    for (const token of this.tokens.keys()) this.mark(token, mark);
    return this.tokens.size;
  }

  /** Forgets every token and mark. */
  clear(): void {
    this.tokens.clear();
    this.marks.clear();
  }
}

// Marks a queue slot whose token is gone (evicted out of order); real tokens are never empty.
const GONE = '';
// Dropped-from-the-front slots are cut off once there are this many and they are half the queue.
const COMPACT_AFTER = 1024;

/**
 * The issued tokens: a Map from token to its details, and the insertion order in parallel arrays
 * (token, expiry, bytes). Every issued token lands here, so it holds nothing per token but the
 * details the issuer made and a Map slot (no wrapper record, no queue record), and the search for
 * an expired token among the oldest reads one array of numbers, not a record per token.
 */
class IssuedTokens {
  private readonly byToken = new Map<string, IssuedToken>();
  private queue: string[] = [];
  private expiries: number[] = [];
  private sizes: number[] = [];
  private head = 0;
  // GONE slots at or after `head`.
  private holes = 0;
  private ownBytes = 0;

  constructor(
    private readonly maxEntries: number,
    readonly budget: ByteBudget,
  ) {}

  get size(): number {
    return this.byToken.size;
  }

  get(token: string): IssuedToken | undefined {
    return this.byToken.get(token);
  }

  /** Every token, oldest first. */
  keys(): string[] {
    return this.queue.slice(this.head).filter((token) => token !== GONE);
  }

  // A new token (not looked up first); not remembered when it alone is over the byte bound, or
  // nothing else can make room for it.
  add(token: string, details: IssuedToken, now: number): void {
    const bytes = tokenBytes(token, details);
    if (bytes > this.budget.maxBytes || !this.makeRoom(bytes, now)) return;
    this.byToken.set(token, details);
    this.queue.push(token);
    this.expiries.push(details.expires);
    this.sizes.push(bytes);
    this.account(bytes);
    if (this.head + this.holes > COMPACT_AFTER && 2 * (this.head + this.holes) > this.queue.length) this.compact();
  }

  /** Evicts the oldest token; false when none is held. */
  evictOldest(): boolean {
    while (this.head < this.queue.length) {
      const i = this.head++;
      if (this.queue[i] === GONE) {
        this.holes--;
        continue;
      }
      this.forget(i);
      return true;
    }
    return false;
  }

  clear(): void {
    this.account(-this.ownBytes);
    this.byToken.clear();
    this.queue = [];
    this.expiries = [];
    this.sizes = [];
    this.head = 0;
    this.holes = 0;
  }

  // Past a bound, an expired token among the EXPIRED_SCAN oldest goes first, else the oldest.
  private makeRoom(bytes: number, now: number): boolean {
    while (!this.fits(bytes)) {
      if (!this.evictExpired(now) && !this.evictOldest()) return false;
    }
    return true;
  }

  private fits(bytes: number): boolean {
    return this.byToken.size + 1 <= this.maxEntries && this.budget.held + bytes <= this.budget.maxBytes;
  }

  private evictExpired(now: number): boolean {
    let seen = 0;
    for (let i = this.head; i < this.queue.length && seen < EXPIRED_SCAN; i++) {
      if (this.queue[i] === GONE) continue;
      seen++;
      if (this.expiries[i]! <= now) {
        this.forget(i);
        // The oldest slot is dropped at once; a later one stays behind as a hole until compaction.
        if (i === this.head) this.head++;
        else this.holes++;
        return true;
      }
    }
    return false;
  }

  // Forgets the token at queue slot `i`, leaving the slot GONE.
  private forget(i: number): void {
    this.byToken.delete(this.queue[i]!);
    this.account(-this.sizes[i]!);
    this.queue[i] = GONE;
  }

  private account(bytes: number): void {
    this.ownBytes += bytes;
    this.budget.held += bytes;
  }

  private compact(): void {
    let kept = 0;
    for (let i = this.head; i < this.queue.length; i++) {
      if (this.queue[i] === GONE) continue;
      this.queue[kept] = this.queue[i]!;
      this.expiries[kept] = this.expiries[i]!;
      this.sizes[kept] = this.sizes[i]!;
      kept++;
    }
    this.queue.length = this.expiries.length = this.sizes.length = kept;
    this.head = 0;
    this.holes = 0;
  }
}

// Tokens share their capability object with every token of the same grant (GrantCache), so its
// size is worked out once per object, not once per issued token.
const capabilitySizes = new WeakMap<CapabilityMap, number>();

function tokenBytes(token: string, details: IssuedToken): number {
  return ENTRY_OVERHEAD_BYTES + 2 * (token.length + details.keyName.length + (details.clientId?.length ?? 0)) + capabilityBytes(details.capability);
}

function capabilityBytes(capability: CapabilityMap): number {
  let bytes = capabilitySizes.get(capability);
  if (bytes !== undefined) return bytes;
  bytes = 0;
  for (const [resource, operations] of Object.entries(capability)) {
    bytes += 2 * resource.length + 16;
    for (const operation of operations) bytes += 2 * operation.length + 16;
  }
  // Only frozen objects can be remembered: a capability changed after its size was taken would
  // be undercounted.
  if (Object.isFrozen(capability)) capabilitySizes.set(capability, bytes);
  return bytes;
}
