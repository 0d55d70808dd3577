import { Buffer } from 'node:buffer';
import type { FastifyRequest } from 'fastify';
import { TokensmithError } from 'tokensmith';
import { constantTimeEqual } from '../lib/constant-time';
import { embeddedToken, looksLikeJwt, outerJwtExpired, verifyAblyJwt } from './jwt';
import type { Principal } from './principal';
import type { AblyServerState } from './state';

/**
 * Resolves a request's `Authorization` header (and `X-Ably-ClientId`) to a {@link Principal}, or
 * throws the Ably error for why not: no header 40101, a key name the app does not have 40400 (HTTP
 * 401, as Ably), wrong secret 40101, revoked key 40131, revoked token 40141, expired 40142,
 * unknown 40143, malformed JWT 40144; a bad `X-Ably-ClientId` 40012, one a token does not allow
 * 40102.
 */
export async function authenticate(request: FastifyRequest, state: AblyServerState): Promise<Principal> {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || header.trim() === '') {
    throw new TokensmithError(40101, 'no credentials: send Basic auth with a key or a Bearer token');
  }
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  let principal: Principal;
  if (scheme === 'basic') principal = authenticateBasic(value, state);
  else if (scheme === 'bearer') principal = await authenticateToken(bearerToken(value), state);
  else throw new TokensmithError(40101, 'unsupported authorization scheme; use Basic or Bearer');
  return withClaimedClientId(principal, request.headers['x-ably-clientid'], state);
}

/** Checks Basic credentials `base64(keyName:secret)` and returns the key's principal. */
export function authenticateBasic(value: string, state: AblyServerState): Principal {
  const decoded = decodeBase64(value);
  const colon = decoded?.indexOf(':') ?? -1;
  if (decoded === undefined || colon <= 0) throw new TokensmithError(40101, 'Basic credentials must be base64 of "<keyName>:<keySecret>"');
  const keyName = decoded.slice(0, colon);
  const key = state.keys.get(keyName);
  const secretMatches = constantTimeEqual(key?.secret ?? '\0', decoded.slice(colon + 1));
  if (!key) throw unknownKey();
  if (!secretMatches) throw new TokensmithError(40101, 'invalid key secret');
  if (state.keys.isRevoked(keyName)) throw new TokensmithError(40131, 'key revoked');
  return { kind: 'basic', keyName, capability: key.capability, clientId: '*' };
}

/** Ably's answer to credentials naming a key the app does not have: 40400 with HTTP 401. */
export function unknownKey(): TokensmithError {
  return new TokensmithError(40400, 'no key with this name exists in the app', { statusCode: 401 });
}

/** Refuses (40012) a clientId longer than the configured maximum, naming `field`. */
export function checkClientIdLength(clientId: string, field: string, state: AblyServerState): void {
  if (clientId.length > state.config.maxClientIdLength) {
    throw new TokensmithError(40012, `${field} is longer than ${state.config.maxClientIdLength} characters`);
  }
}

async function authenticateToken(token: string, state: AblyServerState, embedded = false): Promise<Principal> {
  if (token === '') throw new TokensmithError(40101, 'Bearer credentials are empty');
  const inner = !embedded && looksLikeJwt(token) ? embeddedToken(token) : undefined;
  if (inner !== undefined) {
    if (outerJwtExpired(token, state.clock.now())) throw new TokensmithError(40142, 'token expired: the JWT carrying the Ably token has expired');
    return authenticateToken(inner, state, true);
  }
  const mark = state.tokens.markOf(token);
  if (mark === 'revoked') throw new TokensmithError(40141, 'token revoked');
  if (mark === 'expired') throw new TokensmithError(40142, 'token expired');
  const now = state.clock.now();
  const issued = state.tokens.get(token);
  let principal: Principal;
  if (issued) {
    if (state.keys.isRevoked(issued.keyName)) throw new TokensmithError(40131, 'the key behind this token was revoked');
    if (now >= issued.expires) throw new TokensmithError(40142, 'token expired');
    principal = { kind: 'token', keyName: issued.keyName, capability: issued.capability, clientId: issued.clientId, issued: issued.issued };
  } else if (looksLikeJwt(token)) {
    principal = await verifyAblyJwt(token, state.keys, now, state.config);
  } else {
    throw new TokensmithError(40143, 'token unrecognised');
  }
  if (state.revocations.revokes(principal, now)) throw new TokensmithError(40141, 'token revoked');
  return principal;
}

/**
 * Applies `X-Ably-ClientId` [RSA7e2]: base64 of a non-empty, non-wildcard UTF-8 id (else 40012).
 * With Basic auth it becomes the identity; a token must be bound to that id, or to `*` (else 40102).
 */
function withClaimedClientId(principal: Principal, header: string | string[] | undefined, state: AblyServerState): Principal {
  if (header === undefined) return principal;
  const clientId = typeof header === 'string' ? decodeBase64(header.trim()) : undefined;
  if (clientId === undefined || clientId === '' || clientId === '*') {
    throw new TokensmithError(40012, 'X-Ably-ClientId must be base64 of a non-empty client id other than "*"');
  }
  checkClientIdLength(clientId, 'X-Ably-ClientId', state);
  if (principal.clientId === '*') return { ...principal, clientId };
  if (principal.clientId !== clientId) {
    throw new TokensmithError(40102, "X-Ably-ClientId does not match the token's clientId");
  }
  return principal;
}

/**
 * The token in a Bearer header. Ably SDKs send it base64-encoded; a value that is not valid base64
 * of printable text (a raw JWT, a raw opaque token) is taken as the token itself.
 */
export function bearerToken(value: string): string {
  const decoded = decodeBase64(value);
  return decoded !== undefined && /^[\x21-\x7e]+$/.test(decoded) ? decoded : value;
}

/** The key name Basic credentials claim, without checking them; undefined when not Basic. */
export function basicKeyName(header: string | undefined): string | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = decodeBase64(header.slice(6).trim());
  const colon = decoded?.indexOf(':') ?? -1;
  return colon > 0 ? decoded?.slice(0, colon) : undefined;
}

function decodeBase64(value: string): string | undefined {
  if (value === '' || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'base64'));
  } catch {
    return undefined;
  }
}
