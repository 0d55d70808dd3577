import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { parseCapability, TokensmithError } from 'tokensmith';
import { assertValidCapability, intersectCapabilities, type CapabilityMap } from './capability-rules';
import type { KeyRing } from './keys';
import type { Principal } from './principal';
import type { AblySideConfig } from './state';

/** True when `token` has the three dot-separated parts of a compact JWS. */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);
}

/**
 * The Ably token an embedded-token JWT carries in its `x-ably-token` (in the protected header
 * first, then in the payload), or undefined when `jwt` is not one. Such a JWT comes from another
 * system and is signed with that system's key, so only the token inside is checked.
 *
 * @see https://ably.com/docs/auth/token#embedded
 */
export function embeddedToken(jwt: string): string | undefined {
  try {
    const fromHeader = decodeProtectedHeader(jwt)['x-ably-token'];
    if (typeof fromHeader === 'string' && fromHeader !== '') return fromHeader;
    const fromPayload = decodeJwt(jwt)['x-ably-token'];
    return typeof fromPayload === 'string' && fromPayload !== '' ? fromPayload : undefined;
  } catch {
    return undefined;
  }
}

/** True when an embedded-token JWT's own `exp` (seconds) has passed. */
export function outerJwtExpired(jwt: string, now: number): boolean {
  const { exp } = decodeJwt(jwt);
  return typeof exp === 'number' && exp * 1000 <= now;
}

/**
 * Checks an Ably JWT used as a bearer token: HS256, signed with the secret of the key named by the
 * header's `kid`, with numeric `iat` and `exp` (seconds) checked against server time, and optional
 * `x-ably-capability` (JSON text, intersected with the key's) and `x-ably-clientId` claims.
 *
 * Expired: 40142 — also once `maxTtlMs` has passed since `iat`, however late `exp` is (a JWT's
 * lifetime is capped like a token's ttl). Anything malformed, unsigned by a known key or with bad
 * claims: 40144. A `kid` naming no key of the app: 40400 with HTTP 404, as Ably answers (a 401
 * token error would make an SDK renew and retry). Key revoked: 40131. A capability that shares
 * nothing with the key's: 40160.
 *
 * @see https://ably.com/docs/auth/token#jwt
 */
export async function verifyAblyJwt(
  jwt: string,
  keys: KeyRing,
  now: number,
  config: Pick<AblySideConfig, 'timestampWindowMs' | 'maxTtlMs' | 'maxClientIdLength'>,
): Promise<Principal> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw malformed('token is not a well-formed JWT');
  }
  if (header.alg !== 'HS256') throw malformed('Ably JWT must be signed with HS256');
  if (typeof header.kid !== 'string') throw malformed('Ably JWT header must name its key in kid');
  const key = keys.get(header.kid);
  if (!key) throw new TokensmithError(40400, 'Ably JWT kid names no key of this app', { statusCode: 404 });
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
  if (typeof payload.iat !== 'number' || payload.iat * 1000 > now + config.timestampWindowMs) throw malformed('Ably JWT iat is in the future');
  if (now >= payload.iat * 1000 + config.maxTtlMs) throw new TokensmithError(40142, 'token expired: an Ably JWT lives at most the maximum ttl from its iat');
  const clientId = payload['x-ably-clientId'];
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === '' || clientId.length > config.maxClientIdLength)) {
    throw malformed(`Ably JWT x-ably-clientId must be a non-empty string of at most ${config.maxClientIdLength} characters`);
  }
  const revocationKey = payload['x-ably-revocation-key'];
  return {
    kind: 'jwt',
    keyName: key.keyName,
    capability: jwtCapability(payload, key.capability),
    clientId,
    issued: payload.iat * 1000,
    ...(typeof revocationKey === 'string' ? { revocationKey } : {}),
  };
}

function jwtCapability(payload: JWTPayload, keyCapability: CapabilityMap): CapabilityMap {
  const claim = payload['x-ably-capability'];
  if (claim === undefined) return keyCapability;
  if (typeof claim !== 'string') throw malformed('Ably JWT x-ably-capability must be JSON text');
  let requested: CapabilityMap;
  try {
    requested = parseCapability(claim);
    assertValidCapability(requested);
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
