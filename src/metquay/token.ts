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
  const { accessToken: token, expiresIn } = response;
  const claims = expiresIn === undefined ? readJwtTimeClaims(token) : undefined;
  const exp = claims?.exp;
  const iat = claims?.iat;
  return {
    token,
    response,
    expiresAt: exp === undefined ? sentAt + (expiresIn ?? defaultLifetimeSeconds) * 1000 : exp * 1000,
    ...(exp !== undefined && iat !== undefined && iat < exp ? { issuedAt: iat * 1000 } : {}),
  };
}
