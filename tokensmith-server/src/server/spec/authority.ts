import type { OAuth2Authority } from '../oauth2';
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
  verify(token: string, now: number): TokenVerdict | Promise<TokenVerdict>;
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

/**
 * Asks each authority in turn; the first that knows the token decides. Synchronous while the
 * authorities answer synchronously (the config's tokens), so the warm path awaits nothing.
 */
export function verifyWith(authorities: readonly TokenAuthority[], token: string, now: number, from = 0): TokenVerdict | Promise<TokenVerdict> {
  for (let i = from; i < authorities.length; i++) {
    const verdict = authorities[i]!.verify(token, now);
    if (verdict instanceof Promise) {
      return verdict.then((settled) => (settled.valid || settled.reason !== 'unknown' ? settled : verifyWith(authorities, token, now, i + 1)));
    }
    if (verdict.valid || verdict.reason !== 'unknown') return verdict;
  }
  return { valid: false, reason: 'unknown' };
}

/**
 * The tokens an {@link OAuth2Authority} issued (its token endpoint is mounted on the spec server),
 * as a {@link TokenAuthority}: a token it did not sign is `unknown`, so other authorities may know it.
 */
export function oauth2TokenAuthority(authority: OAuth2Authority): TokenAuthority {
  return {
    verify: async (token) => {
      const check = await authority.verify(token);
      if (check.ok) return { valid: true, scopes: check.scopes };
      return { valid: false, reason: check.reason === 'invalid' ? 'unknown' : check.reason };
    },
    expire: (token) => authority.expire(token),
    revoke: (token) => authority.revoke(token),
    reset: () => authority.reset(),
  };
}
