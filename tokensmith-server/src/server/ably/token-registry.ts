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

/**
 * Issued opaque tokens, and marks on any token string. Both are bounded: past `maxEntries` an
 * expired token among the 32 oldest goes first, else the oldest of all (which then answers 40143).
 */
export class TokenRegistry {
  private readonly tokens = new FifoMap<string, IssuedToken>();
  private readonly marks = new FifoMap<string, TokenMark>();

  constructor(private readonly maxEntries: number) {}

  /** Number of tokens held. */
  get size(): number {
    return this.tokens.size;
  }

  /** Remembers a freshly issued token. */
  add(token: string, details: IssuedToken, now: number): void {
    if (this.tokens.size >= this.maxEntries) this.makeRoom(now);
    this.tokens.set(token, details);
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
    if (this.marks.get(token) === undefined && this.marks.size >= this.maxEntries) this.marks.evictOldest();
    this.marks.set(token, mark);
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

  // Looks for an expired token among the oldest few only, so a full registry stays O(1) per issue.
  private makeRoom(now: number): void {
    if (!this.tokens.removeFirst(EXPIRED_SCAN, (details) => details.expires <= now)) this.tokens.evictOldest();
  }
}
