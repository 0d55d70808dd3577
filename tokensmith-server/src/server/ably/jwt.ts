import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { parseCapability, TokensmithError } from 'tokensmith';
import { assertKnownOperations, intersectCapabilities, type CapabilityMap } from './capability-rules';
import type { KeyRing } from './keys';
import type { Principal } from './principal';

/** True when `token` has the three dot-separated parts of a compact JWS. */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);
}

/**
 * Checks an Ably JWT used as a bearer token: HS256, signed with the secret of the key named by the
 * header's `kid`, with numeric `iat` and `exp` (seconds) checked against server time, and optional
 * `x-ably-capability` (JSON text, intersected with the key's) and `x-ably-clientId` claims.
 *
 * Expired: 40142. Anything malformed, unsigned by a known key or with bad claims: 40144. Key
 * revoked: 40131. A capability that shares nothing with the key's: 40160.
 *
 * @see https://ably.com/docs/auth/token#jwt
 */
export async function verifyAblyJwt(jwt: string, keys: KeyRing, now: number, iatSkewMs: number): Promise<Principal> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw malformed('token is not a well-formed JWT');
  }
  if (header.alg !== 'HS256') throw malformed('Ably JWT must be signed with HS256');
  if (typeof header.kid !== 'string') throw malformed('Ably JWT header must name its key in kid');
  const key = keys.get(header.kid);
  if (!key) throw malformed('Ably JWT kid does not name a known key');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, key.secretBytes, {
      algorithms: ['HS256'],
      currentDate: new Date(now),
      requiredClaims: ['iat', 'exp'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new TokensmithError(40142, 'token expired');
    throw malformed('Ably JWT signature or claims are invalid');
  }
  if (keys.isRevoked(key.keyName)) throw new TokensmithError(40131, 'the key behind this token was revoked');
  if (typeof payload.iat !== 'number' || payload.iat * 1000 > now + iatSkewMs) throw malformed('Ably JWT iat is in the future');
  const clientId = payload['x-ably-clientId'];
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === '')) {
    throw malformed('Ably JWT x-ably-clientId must be a non-empty string');
  }
  return { kind: 'jwt', keyName: key.keyName, capability: jwtCapability(payload, key.capability), clientId };
}

function jwtCapability(payload: JWTPayload, keyCapability: CapabilityMap): CapabilityMap {
  const claim = payload['x-ably-capability'];
  if (claim === undefined) return keyCapability;
  if (typeof claim !== 'string') throw malformed('Ably JWT x-ably-capability must be JSON text');
  let requested: CapabilityMap;
  try {
    requested = parseCapability(claim);
    assertKnownOperations(requested);
  } catch {
    throw malformed('Ably JWT x-ably-capability is not a valid capability');
  }
  const granted = intersectCapabilities(requested, keyCapability);
  if (Object.keys(granted).length === 0) {
    throw new TokensmithError(40160, "Ably JWT capability shares nothing with its key's capability");
  }
  return granted;
}

function malformed(message: string): TokensmithError {
  return new TokensmithError(40144, message);
}
