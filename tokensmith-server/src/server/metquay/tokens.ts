import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, errors as joseErrors, jwtVerify } from 'jose';

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

/**
 * Issues and checks the HS256 access tokens. It remembers (boundedly) which tokens it issued so
 * the test controls can expire or revoke one, or all, of them before their `exp`.
 */
export class MetquayTokenIssuer {
  private readonly key: Uint8Array;
  /** jti -> subject, oldest first; evicted tokens stay valid until their own `exp`. */
  private readonly issued = new Map<string, string>();
  private readonly expired = new Set<string>();
  private readonly revoked = new Set<string>();

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
    this.remember(jti, subject);
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
      if (this.revoked.has(jti)) return { ok: false, reason: 'revoked' };
      if (this.expired.has(jti)) return { ok: false, reason: 'expired' };
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
    return this.mark(this.expired, accessToken);
  }

  /** Like {@link expire} but the token answers "revoked". */
  revoke(accessToken?: string): number {
    return this.mark(this.revoked, accessToken);
  }

  /** Forgets every issued token and mark (tokens already out stay valid until `exp`). */
  reset(): void {
    this.issued.clear();
    this.expired.clear();
    this.revoked.clear();
  }

  private mark(marks: Set<string>, accessToken: string | undefined): number {
    if (accessToken === undefined) {
      for (const jti of this.issued.keys()) marks.add(jti);
      return this.issued.size;
    }
    const jti = jtiOf(accessToken);
    if (jti === undefined || !this.issued.has(jti)) return 0;
    marks.add(jti);
    return 1;
  }

  private remember(jti: string, subject: string): void {
    this.issued.set(jti, subject);
    if (this.issued.size <= MAX_TRACKED_TOKENS) return;
    const oldest = this.issued.keys().next();
    if (oldest.done) return;
    this.issued.delete(oldest.value);
    this.expired.delete(oldest.value);
    this.revoked.delete(oldest.value);
  }
}

function jtiOf(token: string): string | undefined {
  try {
    const { jti } = decodeJwt(token);
    return typeof jti === 'string' ? jti : undefined;
  } catch {
    return undefined;
  }
}
