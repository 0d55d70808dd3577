import { randomBytes, randomUUID } from 'node:crypto';
import { jtiOf } from '../lib/jwt-id';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { ServerClock } from '../clock';
import { constantTimeEqual } from '../lib/constant-time';
import { isScopeToken, resolveOAuth2ServerConfig, type ResolvedOAuth2Client, type ResolvedOAuth2ServerConfig } from './config';
import { OAuth2TokenStore, type TokenMark } from './token-store';
import { VerifiedTokenCache, type VerifiedToken } from './verified-cache';

/**
 * The authorization server's state and rules, with no HTTP in it: client authentication, the
 * `client_credentials` and `refresh_token` grants, and the check a resource server makes on a
 * bearer token. The token endpoint ({@link oauth2Routes}) and `tokensmith serve --spec` share one.
 */

/** Why {@link OAuth2Authority.verify} refused a token (RFC 6750 §3.1 `invalid_token` in every case). */
export type BearerRejection = 'invalid' | 'expired' | 'revoked';

/** Outcome of {@link OAuth2Authority.verify}. */
export type BearerCheck =
  | { ok: true; clientId: string; scopes: readonly string[]; jti: string; expiresAt: number }
  | { ok: false; reason: BearerRejection };

/** An RFC 6749 §5.2 error code. */
export type OAuth2ErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

/** A refused grant: the §5.2 code and a description that names the rule, never a value. */
export interface OAuth2Refusal {
  error: OAuth2ErrorCode;
  description: string;
}

/** A successful token response (RFC 6749 §5.1). */
export interface OAuth2TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

/** Options of {@link OAuth2Authority}. */
export interface OAuth2AuthorityOptions {
  /** Server time (the test controls skew it). Default `Date.now`. */
  clock?: ServerClock | undefined;
  /** The `iss` of issued tokens; normally the server URL plus the routes' prefix. Settable later with {@link OAuth2Authority.setIssuer}. */
  issuer?: string | undefined;
}

const REFRESH_PREFIX = 'r:';
const ACCESS_PREFIX = 'a:';
// Compared against when the client id is unknown, so timing does not tell which ids exist.
const DUMMY_SECRET = randomBytes(24).toString('base64url');

/**
 * The local OAuth2 authorization server's core.
 *
 * @example
 * ```ts
 * const authority = new OAuth2Authority({ clients: [{ clientId: 'svc', clientSecret: 'svc-secret-123', scopes: ['read'] }] });
 * authority.setIssuer('http://127.0.0.1:8080');
 * const check = await authority.verify(bearerToken);
 * if (!check.ok) reply.code(401).header('www-authenticate', bearerChallenge({ error: 'invalid_token' }));
 * ```
 */
export class OAuth2Authority {
  /** The checked configuration (holds secrets: do not log it). */
  readonly config: ResolvedOAuth2ServerConfig;
  private readonly clients: Map<string, ResolvedOAuth2Client>;
  private readonly key: Uint8Array;
  private readonly clock: ServerClock;
  private readonly store: OAuth2TokenStore;
  private readonly verified: VerifiedTokenCache;
  private issuerUrl: string;
  /** Access tokens issued since start or reset. */
  tokensIssued = 0;
  /** Refresh tokens issued (including rotations) since start or reset. */
  refreshTokensIssued = 0;

  constructor(config: unknown = {}, options: OAuth2AuthorityOptions = {}) {
    this.config = resolveOAuth2ServerConfig(config);
    this.clients = new Map(this.config.clients.map((client) => [client.clientId, client]));
    this.key = this.config.signingSecret === undefined ? new Uint8Array(randomBytes(32)) : new TextEncoder().encode(this.config.signingSecret);
    this.clock = options.clock ?? { now: () => Date.now() };
    this.store = new OAuth2TokenStore(this.config.maxTokenStoreBytes);
    this.verified = new VerifiedTokenCache(this.config.maxVerifiedCacheBytes);
    this.issuerUrl = options.issuer ?? 'http://127.0.0.1';
  }

  /** The `iss` of tokens issued from now on, and the one {@link verify} requires. */
  get issuer(): string {
    return this.issuerUrl;
  }

  /** Sets the issuer, once the server's URL is known. */
  setIssuer(issuer: string): void {
    const next = issuer.replace(/\/+$/, '');
    // Tokens verified against the old issuer must pass the new issuer check before they are trusted again.
    if (next !== this.issuerUrl) this.verified.clear();
    this.issuerUrl = next;
  }

  /** Every configured client secret, for the server's scrubber. */
  secrets(): string[] {
    const secrets = this.config.clients.map((client) => client.clientSecret);
    if (this.config.signingSecret !== undefined) secrets.push(this.config.signingSecret);
    return secrets;
  }

  /** Union of every client's scopes, sorted (the discovery document's `scopes_supported`). */
  scopesSupported(): string[] {
    return [...new Set(this.config.clients.flatMap((client) => client.scopes))].sort();
  }

  /** The client whose id and secret both match, compared in constant time; undefined otherwise. */
  authenticateClient(clientId: string, clientSecret: string): ResolvedOAuth2Client | undefined {
    const client = this.clients.get(clientId);
    const matches = constantTimeEqual(client?.clientSecret ?? DUMMY_SECRET, clientSecret);
    return client && matches ? client : undefined;
  }

  /** RFC 6749 §4.4: an access token for `client` with the requested scopes (all of its own when none). */
  async clientCredentials(client: ResolvedOAuth2Client, scope: string | undefined): Promise<OAuth2TokenResponse | OAuth2Refusal> {
    const scopes = parseScope(scope, client.scopes);
    if ('error' in scopes) return scopes;
    const response = await this.issue(client, scopes.granted);
    if (client.issueRefreshTokens) response.refresh_token = this.issueRefreshToken(client.clientId, scopes.granted);
    return response;
  }

  /**
   * RFC 6749 §6: a new access token for the refresh token's grant (narrowed by `scope` if given),
   * and a new refresh token that replaces the old one, which is refused from then on.
   */
  async refresh(client: ResolvedOAuth2Client, refreshToken: string, scope: string | undefined): Promise<OAuth2TokenResponse | OAuth2Refusal> {
    const key = REFRESH_PREFIX + refreshToken;
    const record = this.store.get(key);
    const now = this.clock.now();
    if (!record || record.kind !== 'refresh' || record.clientId !== client.clientId) {
      return { error: 'invalid_grant', description: 'refresh_token is unknown, was already used, or belongs to another client' };
    }
    if (record.mark === 'revoked') return { error: 'invalid_grant', description: 'refresh_token was revoked' };
    if (record.mark === 'expired' || record.expiresAt <= now) return { error: 'invalid_grant', description: 'refresh_token has expired' };
    const scopes = parseScope(scope, record.scopes);
    if ('error' in scopes) return scopes;
    this.store.delete(key);
    const response = await this.issue(client, scopes.granted);
    response.refresh_token = this.issueRefreshToken(client.clientId, record.scopes);
    return response;
  }

  /**
   * A refresh token for `clientId`, as an authorization-code flow would have handed a user (the
   * test controls use it). `scopes` default to all of the client's.
   *
   * @throws {Error} when the client is unknown or a scope is not the client's.
   */
  issueRefreshToken(clientId: string, scopes?: readonly string[]): string {
    const client = this.clients.get(clientId);
    if (!client) throw new Error('unknown client');
    const granted = scopes ?? client.scopes;
    if (granted.some((scope) => !client.scopes.includes(scope))) throw new Error('a scope is not allowed for this client');
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    this.store.add(REFRESH_PREFIX + token, { kind: 'refresh', clientId, scopes: [...granted], expiresAt: now + this.config.refreshTokenTtlSeconds * 1000 }, now);
    this.refreshTokensIssued += 1;
    return token;
  }

  /**
   * Checks a bearer token as a resource server would: signature, issuer, `exp` against the
   * server clock, and the marks of the test controls. A token the store has forgotten is invalid.
   *
   * A token that passed once is remembered (bounded in bytes, `oauth2.maxVerifiedCacheBytes`), and
   * its next checks skip the HMAC and the parse but still read the clock, the marks and the store,
   * so they answer exactly as a full check would.
   */
  async verify(token: string): Promise<BearerCheck> {
    if (token.length > 8192) return { ok: false, reason: 'invalid' };
    const known = this.verified.get(token);
    if (known) return this.recheck(token, known);
    if (token.split('.').length !== 3) return { ok: false, reason: 'invalid' };
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.issuerUrl,
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['exp', 'iat', 'jti', 'client_id'],
      });
      const jti = String(payload.jti);
      const record = this.store.get(ACCESS_PREFIX + jti);
      if (!record) return { ok: false, reason: 'invalid' };
      // Only a token whose signature and claims passed gets here: nothing forged is ever remembered.
      this.verified.remember(token, { jti, expiresAtSeconds: payload.exp as number, ...(typeof payload.nbf === 'number' ? { notBeforeSeconds: payload.nbf } : {}) });
      if (record.mark) return { ok: false, reason: record.mark };
      return { ok: true, clientId: record.clientId, scopes: record.scopes, jti, expiresAt: record.expiresAt };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'invalid' };
    }
  }

  /**
   * The checks of {@link verify} that can change for a token already verified, in jose's order and
   * with its rules (whole seconds, no tolerance): `nbf` and `exp` against the server clock now, then
   * the store's record (gone after a reset or eviction) and its mark.
   */
  private recheck(token: string, known: VerifiedToken): BearerCheck {
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    if (known.notBeforeSeconds !== undefined && known.notBeforeSeconds > nowSeconds) return { ok: false, reason: 'invalid' };
    if (known.expiresAtSeconds <= nowSeconds) return { ok: false, reason: 'expired' };
    const record = this.store.get(ACCESS_PREFIX + known.jti);
    if (!record) {
      // A forgotten jti never comes back (jti values are random): drop the entry for good.
      this.verified.forget(token);
      return { ok: false, reason: 'invalid' };
    }
    if (record.mark) return { ok: false, reason: record.mark };
    return { ok: true, clientId: record.clientId, scopes: record.scopes, jti: known.jti, expiresAt: record.expiresAt };
  }

  /** Marks one token (access or refresh) expired, or without one every token; returns how many. */
  expire(token?: string): number {
    return this.mark('expired', token);
  }

  /** Marks one token (access or refresh) revoked, or without one every token; returns how many. */
  revoke(token?: string): number {
    return this.mark('revoked', token);
  }

  /** Revokes every access and refresh token of a client; returns how many. */
  revokeClient(clientId: string): number {
    let affected = 0;
    for (const [, record] of this.store.all()) {
      if (record.clientId !== clientId || record.mark === 'revoked') continue;
      record.mark = 'revoked';
      affected += 1;
    }
    return affected;
  }

  /** Sizes for the test controls' stats. */
  stats(): { tokensIssued: number; refreshTokensIssued: number; storedTokens: number; storeBytes: number; verifiedCacheTokens: number; verifiedCacheBytes: number } {
    return {
      tokensIssued: this.tokensIssued,
      refreshTokensIssued: this.refreshTokensIssued,
      storedTokens: this.store.size,
      storeBytes: this.store.bytes,
      verifiedCacheTokens: this.verified.size,
      verifiedCacheBytes: this.verified.bytes,
    };
  }

  /** Forgets every token and count (tokens already out are refused from then on). */
  reset(): void {
    this.store.clear();
    this.verified.clear();
    this.tokensIssued = 0;
    this.refreshTokensIssued = 0;
  }

  private async issue(client: ResolvedOAuth2Client, scopes: readonly string[]): Promise<OAuth2TokenResponse> {
    const now = this.clock.now();
    const issuedAt = Math.floor(now / 1000);
    const jti = randomUUID();
    const scope = scopes.join(' ');
    const accessToken = await new SignJWT({ scope, client_id: client.clientId })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuer(this.issuerUrl)
      .setSubject(client.clientId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + client.tokenTtlSeconds)
      .setJti(jti)
      .sign(this.key);
    this.store.add(ACCESS_PREFIX + jti, { kind: 'access', clientId: client.clientId, scopes, expiresAt: (issuedAt + client.tokenTtlSeconds) * 1000 }, now);
    this.tokensIssued += 1;
    return { access_token: accessToken, token_type: 'Bearer', expires_in: client.tokenTtlSeconds, scope };
  }

  private mark(mark: TokenMark, token: string | undefined): number {
    if (token === undefined) {
      let affected = 0;
      for (const [, record] of this.store.all()) {
        if (record.mark === 'revoked') continue;
        record.mark = mark;
        affected += 1;
      }
      return affected;
    }
    const record = this.store.get(REFRESH_PREFIX + token) ?? this.store.get(ACCESS_PREFIX + (jtiOf(token) ?? ''));
    if (!record) return 0;
    if (record.mark !== 'revoked') record.mark = mark;
    return 1;
  }
}

/** Scopes granted for a request: all `allowed` when `scope` is absent; every requested one must be allowed. */
function parseScope(scope: string | undefined, allowed: readonly string[]): { granted: readonly string[] } | OAuth2Refusal {
  if (scope === undefined) return { granted: allowed };
  const requested = [...new Set(scope.split(' ').filter((part) => part.length > 0))];
  if (requested.length === 0 || !requested.every(isScopeToken)) {
    return { error: 'invalid_scope', description: 'scope must be space-separated scope names' };
  }
  if (!requested.every((name) => allowed.includes(name))) {
    return { error: 'invalid_scope', description: 'scope asks for a scope this client is not allowed' };
  }
  return { granted: requested };
}

/**
 * An RFC 6750 §3 `WWW-Authenticate` value for a bearer refusal: bare `Bearer realm="…"` when the
 * request had no token, with `error` (and `scope` for `insufficient_scope`) otherwise.
 */
export function bearerChallenge(options: { realm?: string; error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope'; description?: string; scope?: readonly string[] } = {}): string {
  const parts = [`realm="${options.realm ?? 'tokensmith'}"`];
  if (options.error) parts.push(`error="${options.error}"`);
  if (options.description) parts.push(`error_description="${options.description.replace(/["\\]/g, '')}"`);
  if (options.scope && options.scope.length > 0) parts.push(`scope="${options.scope.join(' ')}"`);
  return `Bearer ${parts.join(', ')}`;
}
