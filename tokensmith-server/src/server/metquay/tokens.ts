import { randomUUID } from 'node:crypto';
import { jtiOf } from '../lib/jwt-id';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { BoundedStore } from '../lib/bounded-store';

/** Why a bearer token was refused; each becomes its own 401 message. */
export type TokenRejection = 'missing' | 'malformed' | 'invalid' | 'expired' | 'revoked';

/** Outcome of {@link MetquayTokenIssuer.verify}. */
export type TokenCheck = { ok: true; subject: string; jti: string } | { ok: false; reason: TokenRejection };

/** What {@link MetquayTokenIssuer.issue} returns. */
export interface IssuedToken {
  accessToken: string;
  jti: string;
  expiresIn: number;
}

const MAX_TRACKED_TOKENS = 10_000;
const MAX_TRACKED_BYTES = 4 * 1024 * 1024;
// Per-entry bookkeeping beyond the strings (record, map and FIFO slots), estimated.
const ENTRY_OVERHEAD_BYTES = 120;

/** A tracked token: who it was issued to, and the test controls' marks. */
interface Tracked {
  readonly subject: string;
  expired: boolean;
  revoked: boolean;
}

/**
 * Issues and checks the HS256 access tokens. It remembers (boundedly) which tokens it issued so
 * the test controls can expire or revoke one, or all, of them before their `exp`.
 */
export class MetquayTokenIssuer {
  private readonly key: Uint8Array;
  /** By jti, oldest first; past the bound the oldest is forgotten, and stays valid until its own `exp`. */
  private readonly issued = new BoundedStore<string, Tracked>({
    maxEntries: MAX_TRACKED_TOKENS,
    maxBytes: MAX_TRACKED_BYTES,
    sizeOf: (jti, tracked) => ENTRY_OVERHEAD_BYTES + 2 * (jti.length + tracked.subject.length),
  });

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number,
    secret?: string,
  ) {
    this.key = secret === undefined ? crypto.getRandomValues(new Uint8Array(32)) : new TextEncoder().encode(secret);
  }

  /** Signs a new token for `subject`, valid for the configured TTL from the server clock. */
  async issue(subject: string): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.now() / 1000);
    const jti = randomUUID();
    const accessToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subject)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .setJti(jti)
      .sign(this.key);
    this.issued.set(jti, { subject, expired: false, revoked: false });
    return { accessToken, jti, expiresIn: this.ttlSeconds };
  }

  /** Checks signature, `exp` against the server clock, and the expired/revoked marks. */
  async verify(token: string): Promise<TokenCheck> {
    if (token.split('.').length !== 3) return { ok: false, reason: 'malformed' };
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
        requiredClaims: ['exp', 'sub', 'jti'],
      });
      const jti = payload.jti as string;
      const tracked = this.issued.get(jti);
      if (tracked?.revoked) return { ok: false, reason: 'revoked' };
      if (tracked?.expired) return { ok: false, reason: 'expired' };
      return { ok: true, subject: payload.sub as string, jti };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
      if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
        return { ok: false, reason: 'malformed' };
      }
      return { ok: false, reason: 'invalid' };
    }
  }

  /** Marks one token (by its string) or, without one, every tracked token; returns how many. */
  expire(accessToken?: string): number {
    return this.mark('expired', accessToken);
  }

  /** Like {@link expire} but the token answers "revoked". */
  revoke(accessToken?: string): number {
    return this.mark('revoked', accessToken);
  }

  /** Forgets every issued token and mark (tokens already out stay valid until `exp`). */
  reset(): void {
    this.issued.clear();
  }

  private mark(mark: 'expired' | 'revoked', accessToken: string | undefined): number {
    if (accessToken === undefined) {
      for (const [, tracked] of this.issued.all()) tracked[mark] = true;
      return this.issued.size;
    }
    const jti = jtiOf(accessToken);
    const tracked = jti === undefined ? undefined : this.issued.get(jti);
    if (tracked === undefined) return 0;
    tracked[mark] = true;
    return 1;
  }
}
