import { BoundedStore } from '../lib/bounded-store';

/**
 * What the authorization server remembers about the tokens it issued, bounded in (estimated)
 * bytes: access tokens by `jti`, refresh tokens by their value. Past the budget the oldest are
 * forgotten, and a forgotten token is refused as unknown, so a revocation can never be lost.
 */

/** A mark the test controls (or a rotation) put on a token before its own expiry. */
export type TokenMark = 'expired' | 'revoked';

/** One issued token. */
export interface TokenRecord {
  readonly kind: 'access' | 'refresh';
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** ms since the epoch. */
  readonly expiresAt: number;
  mark?: TokenMark;
}

const ENTRY_OVERHEAD_BYTES = 160;

/** Key + record size estimate, in bytes (UTF-16 strings plus object overhead). */
function estimate(key: string, record: TokenRecord): number {
  let bytes = ENTRY_OVERHEAD_BYTES + 2 * (key.length + record.clientId.length);
  for (const scope of record.scopes) bytes += 40 + 2 * scope.length;
  return bytes;
}

/** Expired tokens among this many of the oldest go before any live one. */
const EXPIRED_SCAN = 4;

/** The bounded store; insertion order is issue order. */
export class OAuth2TokenStore {
  private readonly entries: BoundedStore<string, TokenRecord>;

  constructor(maxBytes: number) {
    this.entries = new BoundedStore<string, TokenRecord>({
      maxEntries: Number.POSITIVE_INFINITY,
      maxBytes,
      sizeOf: estimate,
      policy: { isStale: (record, now) => record.expiresAt <= now, staleScan: EXPIRED_SCAN },
    });
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.entries.bytes;
  }

  /**
   * Remembers a token, making room past the budget by dropping an expired one among the oldest,
   * else the oldest. One alone over the budget is not remembered: it is refused as unknown.
   */
  add(key: string, record: TokenRecord, now: number): void {
    this.entries.set(key, record, now);
  }

  /** The record for `key`. */
  get(key: string): TokenRecord | undefined {
    return this.entries.get(key);
  }

  /** Forgets `key`; true if it was held. */
  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  /** Every `[key, record]`, oldest first. */
  all(): Array<[string, TokenRecord]> {
    return this.entries.all();
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
  }
}
