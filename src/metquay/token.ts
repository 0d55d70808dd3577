import type { TokenLike } from '../core/store';
import type { AuthenticationResponse } from './authenticate-response';
import { readJwtTimeClaims } from './jwt';

/** A Metquay access token as the token manager caches it. Holds a secret: keep it private. */
export interface MetquayToken extends TokenLike {
  /** The access token (a JWT), sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Expiry in ms since the epoch. */
  expiresAt: number;
  /** The JWT's `iat` in ms, when the lifetime came from the JWT (the lifetime then counts from the send). */
  issuedAt?: number;
  /** The `/authenticate` answer it came from. */
  response: AuthenticationResponse;
}

/**
 * The token's lifetime, in order of preference: the answer's `expiresIn`; else the JWT's `exp`
 * (with `iat`, as a lifetime counted from the send, so host clock skew does not matter; without,
 * as an absolute time); else `defaultLifetimeSeconds`.
 */
export function toMetquayToken(response: AuthenticationResponse, sentAt: number, defaultLifetimeSeconds: number): MetquayToken {
  const base = { token: response.accessToken, response };
  if (response.expiresIn !== undefined) return { ...base, expiresAt: sentAt + response.expiresIn * 1000 };
  const claims = readJwtTimeClaims(response.accessToken);
  if (claims?.exp !== undefined) {
    return claims.iat !== undefined && claims.iat < claims.exp
      ? { ...base, expiresAt: claims.exp * 1000, issuedAt: claims.iat * 1000 }
      : { ...base, expiresAt: claims.exp * 1000 };
  }
  return { ...base, expiresAt: sentAt + defaultLifetimeSeconds * 1000 };
}
