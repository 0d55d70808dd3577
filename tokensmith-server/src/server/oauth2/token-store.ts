import { FifoMap } from '../lib/fifo-map';

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

/** The bounded store; insertion order is issue order. */
export class OAuth2TokenStore {
  private readonly entries = new FifoMap<string, TokenRecord>();
  private ledger = 0;

  constructor(private readonly maxBytes: number) {}

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.ledger;
  }

  /** Remembers a token, first dropping expired ones at the front and then the oldest past the budget. */
  add(key: string, record: TokenRecord, now: number): void {
    this.delete(key);
    for (let i = 0; i < 4; i++) {
      const dropped = this.entries.oldest(1)[0];
      if (!dropped || dropped[1].expiresAt > now) break;
      this.delete(dropped[0]);
    }
    this.entries.set(key, record);
    this.ledger += estimate(key, record);
    while (this.ledger > this.maxBytes && this.entries.size > 1) {
      const oldest = this.entries.oldest(1)[0];
      if (!oldest) break;
      this.delete(oldest[0]);
    }
  }

  /** The record for `key`. */
  get(key: string): TokenRecord | undefined {
    return this.entries.get(key);
  }

  /** Forgets `key`; true if it was held. */
  delete(key: string): boolean {
    const record = this.entries.get(key);
    if (!record) return false;
    this.ledger -= estimate(key, record);
    return this.entries.delete(key);
  }

  /** Every `[key, record]`, oldest first. */
  all(): Array<[string, TokenRecord]> {
    return this.entries.oldest(Number.POSITIVE_INFINITY);
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
    this.ledger = 0;
  }
}
