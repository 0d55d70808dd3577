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

/**
 * Issued opaque tokens, and marks on any token string. Both are bounded: past `maxEntries` the
 * oldest expired token goes first, then the oldest of all (which then answers 40143).
 */
export class TokenRegistry {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly marks = new Map<string, TokenMark>();

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
    this.marks.delete(token);
    if (this.marks.size >= this.maxEntries) {
      const oldest = this.marks.keys().next();
      if (!oldest.done) this.marks.delete(oldest.value);
    }
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

  private makeRoom(now: number): void {
    for (const [token, details] of this.tokens) {
      if (details.expires <= now) {
        this.tokens.delete(token);
        return;
      }
    }
    const oldest = this.tokens.keys().next();
    if (!oldest.done) this.tokens.delete(oldest.value);
  }
}
