import { FifoMap } from '../lib/fifo-map';
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
 * answers 40143).
 */
export class TokenRegistry {
  private readonly tokens = new FifoMap<string, IssuedToken & { bytes: number }>();
  private readonly marks = new FifoMap<string, TokenMark>();
  private heldBytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** Number of tokens held. */
  get size(): number {
    return this.tokens.size;
  }

  /** Estimated bytes held by tokens and marks; at most `maxBytes`. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Remembers a freshly issued token. */
  add(token: string, details: IssuedToken, now: number): void {
    const bytes = tokenBytes(token, details);
    while (this.tokens.size > 0 && (this.tokens.size >= this.maxEntries || this.heldBytes + bytes > this.maxBytes)) this.makeRoom(now);
    this.tokens.set(token, { ...details, bytes });
    this.heldBytes += bytes;
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
    if (this.marks.get(token) !== undefined) {
      this.marks.set(token, mark);
      return;
    }
    const bytes = 2 * token.length + ENTRY_OVERHEAD_BYTES;
    while (this.marks.size > 0 && (this.marks.size >= this.maxEntries || this.heldBytes + bytes > this.maxBytes)) {
      const dropped = this.marks.evictOldest();
      if (dropped !== undefined) this.heldBytes -= 2 * dropped.length + ENTRY_OVERHEAD_BYTES;
    }
    this.marks.set(token, mark);
    this.heldBytes += bytes;
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
    this.heldBytes = 0;
  }

  // Looks for an expired token among the oldest few only, so a full registry stays O(1) per issue.
  private makeRoom(now: number): void {
    const oldest = this.tokens.oldest(EXPIRED_SCAN);
    const [token, details] = oldest.find(([, entry]) => entry.expires <= now) ?? oldest[0] ?? [];
    if (token === undefined || details === undefined) return;
    this.tokens.delete(token);
    this.heldBytes -= details.bytes;
  }
}

function tokenBytes(token: string, details: IssuedToken): number {
  let bytes = ENTRY_OVERHEAD_BYTES + 2 * (token.length + details.keyName.length + (details.clientId?.length ?? 0));
  for (const [resource, operations] of Object.entries(details.capability)) {
    bytes += 2 * resource.length + 16;
    for (const operation of operations) bytes += 2 * operation.length + 16;
  }
  return bytes;
}
