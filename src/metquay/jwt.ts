import { utf8FromBase64 } from '../core/base64';

/** The registered claims tokensmith reads from a Metquay access token. */
export interface JwtTimeClaims {
  /** Expiry, seconds since the epoch. */
  exp?: number;
  /** Issue time, seconds since the epoch. */
  iat?: number;
}

/**
 * Reads `exp` and `iat` from a JWT's payload WITHOUT verifying it: the client only needs to know
 * when to refresh, and the server verifies the signature. Web APIs only (no Buffer), so it runs
 * wherever the default entry does. Returns `undefined` when `token` is not a decodable JWT.
 */
export function readJwtTimeClaims(token: string): JwtTimeClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(utf8FromBase64(parts[1]));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const { exp, iat } = payload as Record<string, unknown>;
  return {
    ...(isSeconds(exp) ? { exp } : {}),
    ...(isSeconds(iat) ? { iat } : {}),
  };
}

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
