import { BoundedStore } from '../lib/bounded-store';

/**
 * Access tokens whose signature and fixed claims {@link OAuth2Authority.verify} has already
 * checked, keyed by the exact token string, bounded in (estimated) bytes. What a hit still has to
 * check (the clock, the test controls' marks, a reset) is re-checked by the authority on every
 * call; only the HMAC and the JSON parse are skipped. Only tokens that passed the full check are
 * remembered, so a forged token always costs a full verification and is never stored.
 *
 * The lookup compares whole token strings, not in constant time: the token is the secret, and a
 * caller who can produce it needs no timing channel.
 */

/** What a full verification learned that never changes for the same token string. */
export interface VerifiedToken {
  /** The token's `jti`, the key of its record in the token store (marks, revocation). */
  readonly jti: string;
  /** `exp`, in seconds since the epoch. */
  readonly expiresAtSeconds: number;
  /** `nbf`, in seconds since the epoch, when the token has one. */
  readonly notBeforeSeconds?: number;
}

const ENTRY_OVERHEAD_BYTES = 160;

/** Key + entry size estimate, in bytes (UTF-16 strings plus object and map-slot overhead). */
function estimate(token: string, entry: VerifiedToken): number {
  return ENTRY_OVERHEAD_BYTES + 2 * (token.length + entry.jti.length);
}

/** The bounded cache; past the budget the oldest-verified tokens are forgotten (and re-verified on their next use). */
export class VerifiedTokenCache {
  private readonly entries: BoundedStore<string, VerifiedToken>;

  constructor(maxBytes: number) {
    this.entries = new BoundedStore<string, VerifiedToken>({ maxEntries: Number.POSITIVE_INFINITY, maxBytes, sizeOf: estimate });
  }

  /** Tokens held. */
  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes held; never more than the budget. */
  get bytes(): number {
    return this.entries.bytes;
  }

  /** The entry for exactly `token`. */
  get(token: string): VerifiedToken | undefined {
    return this.entries.get(token);
  }

  /** Remembers a token that passed the full check, dropping the oldest entries past the budget (not one alone over it). */
  remember(token: string, entry: VerifiedToken): void {
    this.entries.set(token, entry);
  }

  /** Forgets `token`; true if it was held. */
  forget(token: string): boolean {
    return this.entries.delete(token);
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
  }
}
