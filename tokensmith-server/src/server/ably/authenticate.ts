import { Buffer } from 'node:buffer';
import type { FastifyRequest } from 'fastify';
import { TokensmithError } from 'tokensmith';
import { constantTimeEqual } from '../lib/constant-time';
import { looksLikeJwt, verifyAblyJwt } from './jwt';
import type { Principal } from './principal';
import type { AblyServerState } from './state';

/**
 * Resolves a request's `Authorization` header to a {@link Principal}, or throws the Ably error
 * for why not: no header 40101, wrong key or secret 40101, revoked key 40131, revoked token 40141,
 * expired 40142, unknown 40143, malformed JWT 40144.
 */
export async function authenticate(request: FastifyRequest, state: AblyServerState): Promise<Principal> {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || header.trim() === '') {
    throw new TokensmithError(40101, 'no credentials: send Basic auth with a key or a Bearer token');
  }
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'basic') return authenticateBasic(value, state);
  if (scheme === 'bearer') return authenticateToken(bearerToken(value), state);
  throw new TokensmithError(40101, 'unsupported authorization scheme; use Basic or Bearer');
}

/** Checks Basic credentials `base64(keyName:secret)` and returns the key's principal. */
export function authenticateBasic(value: string, state: AblyServerState): Principal {
  const decoded = decodeBase64(value);
  const colon = decoded?.indexOf(':') ?? -1;
  if (decoded === undefined || colon <= 0) throw new TokensmithError(40101, 'Basic credentials must be base64 of "<keyName>:<keySecret>"');
  const keyName = decoded.slice(0, colon);
  const key = state.keys.get(keyName);
  const secretMatches = constantTimeEqual(key?.secret ?? '\0', decoded.slice(colon + 1));
  if (!key || !secretMatches) throw new TokensmithError(40101, 'invalid key name or secret');
  if (state.keys.isRevoked(keyName)) throw new TokensmithError(40131, 'key revoked');
  return { kind: 'basic', keyName, capability: key.capability, clientId: '*' };
}

async function authenticateToken(token: string, state: AblyServerState): Promise<Principal> {
  if (token === '') throw new TokensmithError(40101, 'Bearer credentials are empty');
  const mark = state.tokens.markOf(token);
  if (mark === 'revoked') throw new TokensmithError(40141, 'token revoked');
  if (mark === 'expired') throw new TokensmithError(40142, 'token expired');
  const now = state.clock.now();
  const issued = state.tokens.get(token);
  if (issued) {
    if (state.keys.isRevoked(issued.keyName)) throw new TokensmithError(40131, 'the key behind this token was revoked');
    if (now >= issued.expires) throw new TokensmithError(40142, 'token expired');
    return { kind: 'token', keyName: issued.keyName, capability: issued.capability, clientId: issued.clientId };
  }
  if (looksLikeJwt(token)) return verifyAblyJwt(token, state.keys, now, state.config.timestampWindowMs);
  throw new TokensmithError(40143, 'token unrecognised');
}

/**
 * The token in a Bearer header. Ably SDKs send it base64-encoded; a value that is not valid base64
 * of printable text (a raw JWT, a raw opaque token) is taken as the token itself.
 */
export function bearerToken(value: string): string {
  const decoded = decodeBase64(value);
  return decoded !== undefined && /^[\x21-\x7e]+$/.test(decoded) ? decoded : value;
}

function decodeBase64(value: string): string | undefined {
  if (value === '' || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'base64'));
  } catch {
    return undefined;
  }
}
