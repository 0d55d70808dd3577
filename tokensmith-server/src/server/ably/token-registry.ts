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
  private readonly tokens: BoundedStore<string, IssuedToken>;
  private readonly marks: BoundedStore<string, TokenMark>;

  constructor(maxEntries: number, maxBytes = Number.POSITIVE_INFINITY) {
    const budget = new ByteBudget(maxBytes);
    this.tokens = new BoundedStore<string, IssuedToken>({
      maxEntries,
      budget,
      sizeOf: tokenBytes,
      // Looks for an expired token among the oldest few only, so a full registry stays O(1) per issue.
      policy: { isStale: (details, now) => details.expires <= now, staleScan: EXPIRED_SCAN },
    });
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
    this.tokens.addAbsent(token, details, now);
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
