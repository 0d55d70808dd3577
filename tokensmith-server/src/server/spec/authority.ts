import type { ConfiguredToken } from './config';

/** What a token authority says of a bearer token. */
export type TokenVerdict =
  | { valid: true; scopes: readonly string[] }
  | { valid: false; reason: 'unknown' | 'expired' | 'revoked' };

/**
 * Anything that can judge bearer tokens: the tokens listed in the config, or an OAuth2 token
 * endpoint's issued tokens. The spec server asks each authority in turn; the first that knows a
 * token decides.
 */
export interface TokenAuthority {
  /** The verdict on `token` at server time `now` (ms); `unknown` when this authority never issued it. */
  verify(token: string, now: number): TokenVerdict;
  /** Marks `token` (or, without one, every token) expired; answers how many were affected. */
  expire(token?: string): number;
  /** Marks `token` (or every token) revoked; answers how many were affected. */
  revoke(token?: string): number;
  /** Forgets every mark. */
  reset(): void;
}

/** The tokens of the config: known from the start, with their scopes and optional expiry. */
export class ConfiguredTokens implements TokenAuthority {
  private readonly tokens = new Map<string, ConfiguredToken>();
  private readonly marks = new Map<string, 'expired' | 'revoked'>();

  constructor(tokens: readonly ConfiguredToken[]) {
    for (const entry of tokens) this.tokens.set(entry.token, entry);
  }

  verify(token: string, now: number): TokenVerdict {
    const entry = this.tokens.get(token);
    if (!entry) return { valid: false, reason: 'unknown' };
    const mark = this.marks.get(token);
    if (mark !== undefined) return { valid: false, reason: mark };
    if (entry.expiresAt !== undefined && entry.expiresAt <= now) return { valid: false, reason: 'expired' };
    return { valid: true, scopes: entry.scopes ?? [] };
  }

  expire(token?: string): number {
    return this.mark('expired', token);
  }

  revoke(token?: string): number {
    return this.mark('revoked', token);
  }

  reset(): void {
    this.marks.clear();
  }

  private mark(mark: 'expired' | 'revoked', token?: string): number {
    if (token === undefined) {
      for (const known of this.tokens.keys()) if (this.marks.get(known) !== 'revoked') this.marks.set(known, mark);
      return this.tokens.size;
    }
    if (!this.tokens.has(token)) return 0;
    if (this.marks.get(token) !== 'revoked') this.marks.set(token, mark);
    return 1;
  }
}

/** Asks each authority in turn; the first that knows the token decides. */
export function verifyWith(authorities: readonly TokenAuthority[], token: string, now: number): TokenVerdict {
  for (const authority of authorities) {
    const verdict = authority.verify(token, now);
    if (verdict.valid || verdict.reason !== 'unknown') return verdict;
  }
  return { valid: false, reason: 'unknown' };
}
