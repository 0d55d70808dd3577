import type { AblyComponents } from 'tokensmith';
import { tokenRequestSigningText, TokensmithError } from 'tokensmith';
import { constantTimeEqual } from '../lib/constant-time';
import { randomBase64UrlSource } from '../lib/random-pool';
import { authenticateBasic, checkClientIdLength, unknownKey } from './authenticate';
import type { ServerKey } from './keys';
import type { NonceOutcome } from './nonce-store';
import type { AblyServerState } from './state';

type Schemas = AblyComponents['schemas'];

/**
 * The body of `requestToken` after schema validation: TokenParams, or a signed TokenRequest. The
 * schema's `anyOf` lets a body that only matches TokenParams carry a `mac` of any type.
 */
export type RequestTokenBody = Schemas['TokenParams'] & Partial<Pick<Schemas['TokenRequest'], 'keyName'>> & { mac?: unknown };

/** TokenDetails as the server answers them (`keyName` always set). */
export type IssuedTokenDetails = Schemas['TokenDetails'] & { keyName: string };

/** Headers every issued token is answered with: nothing on the way may keep a copy. */
export const TOKEN_CACHE_HEADERS = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

// 30 random bytes per opaque token (240 bits), drawn from a pool.
const tokenBody = randomBase64UrlSource(30);

/**
 * `POST /keys/{keyName}/requestToken`. With an `Authorization` header the body is TokenParams and
 * the header must be Basic auth for the path's key; without one the body must be a TokenRequest
 * signed with that key (`mac`). Checks, in order: credentials or MAC (40101; a key name in the
 * path or body that is not configured is 40400; path and body naming different keys is 40101),
 * revoked key (40131), timestamp window (40104), nonce replay (40105), ttl (40003), clientId
 * (40012), capability (40003 invalid, 40160 empty intersection).
 */
export function issueToken(authorization: string | undefined, pathKeyName: string, body: RequestTokenBody, state: AblyServerState): IssuedTokenDetails {
  const key = authorization === undefined ? checkSignedRequest(pathKeyName, body, state) : checkBasic(authorization, pathKeyName, body, state);
  const now = state.clock.now();
  if (body.timestamp !== undefined) checkTimestamp(body.timestamp, now, state);
  if (body.nonce !== undefined) checkNonce(key.keyName, body.nonce, body.timestamp ?? now, state);
  const ttl = body.ttl ?? state.config.defaultTtlMs;
  if (ttl > state.config.maxTtlMs) {
    throw new TokensmithError(40003, `ttl exceeds the maximum of ${state.config.maxTtlMs} ms`);
  }
  if (body.clientId === '') throw new TokensmithError(40012, 'clientId must not be empty; use "*" for any');
  if (body.clientId !== undefined) checkClientIdLength(body.clientId, 'body.clientId', state);
  const grant = state.grants.grant(key, body.capability);
  // Nothing is recorded until every check has passed: a refused request leaves no trace, so it
  // can be judged again with the same answer (the token fast lane hands refusals to Fastify).
  if (body.nonce !== undefined) useNonce(key.keyName, body.nonce, body.timestamp ?? now, now, state);
  const token = `${appIdOf(key.keyName)}.${tokenBody()}`;
  state.tokens.add(token, { keyName: key.keyName, issued: now, expires: now + ttl, capability: grant.capability, clientId: body.clientId }, now);
  const details: IssuedTokenDetails = { token, keyName: key.keyName, issued: now, expires: now + ttl, capability: grant.text };
  if (body.clientId !== undefined) details.clientId = body.clientId;
  return details;
}

// `<appId>.<keyId>` -> `<appId>`, without the array `split` makes.
function appIdOf(keyName: string): string {
  const dot = keyName.indexOf('.');
  return dot < 0 ? keyName : keyName.slice(0, dot);
}

function checkSignedRequest(pathKeyName: string, body: RequestTokenBody, state: AblyServerState): ServerKey {
  if (body.mac === undefined) {
    throw new TokensmithError(40101, 'no credentials: send Basic auth with TokenParams, or a signed TokenRequest');
  }
  if (typeof body.mac !== 'string') throw new TokensmithError(40001, 'body.mac must be string');
  for (const field of ['keyName', 'timestamp', 'nonce'] as const) {
    if (body[field] === undefined) throw new TokensmithError(40001, `body.${field} is required in a signed TokenRequest`);
  }
  const key = knownKey(pathKeyName, state);
  if (body.keyName !== pathKeyName) {
    throw new TokensmithError(40101, 'the TokenRequest keyName does not match the key in the path');
  }
  const expected = key.hmac.signSync(tokenRequestSigningText(body));
  if (!constantTimeEqual(expected, body.mac)) throw new TokensmithError(40101, 'TokenRequest mac does not match: wrong key secret or altered fields');
  if (state.keys.isRevoked(key.keyName)) throw new TokensmithError(40131, 'key revoked');
  return key;
}

function checkBasic(header: string, pathKeyName: string, body: RequestTokenBody, state: AblyServerState): ServerKey {
  if (!/^basic /i.test(header)) throw new TokensmithError(40101, 'requestToken takes Basic auth with a key, or a signed TokenRequest with no Authorization');
  const key = knownKey(pathKeyName, state);
  const principal = authenticateBasic(header.slice(6).trim(), state);
  if (principal.keyName !== pathKeyName) throw new TokensmithError(40101, 'the Basic credentials are for a different key than the path names');
  if (body.keyName !== undefined && body.keyName !== pathKeyName) {
    throw new TokensmithError(40101, 'the body keyName does not match the key in the path');
  }
  if (typeof body.mac === 'string' && !constantTimeEqual(key.hmac.signSync(tokenRequestSigningText({ ...body, keyName: pathKeyName })), body.mac)) {
    throw new TokensmithError(40101, 'TokenRequest mac does not match: wrong key secret or altered fields');
  }
  return key;
}

function knownKey(keyName: string, state: AblyServerState): ServerKey {
  const key = state.keys.get(keyName);
  if (!key) throw unknownKey();
  return key;
}

function checkTimestamp(timestamp: number, now: number, state: AblyServerState): void {
  if (Math.abs(now - timestamp) > state.config.timestampWindowMs) {
    throw new TokensmithError(40104, 'timestamp not current: outside the accepted window of server time; sync with GET /time');
  }
}

function checkNonce(keyName: string, nonce: string, timestamp: number, state: AblyServerState): void {
  if (nonce.length > state.config.maxNonceLength) throw new TokensmithError(40003, `body.nonce is longer than ${state.config.maxNonceLength} characters`);
  refuseNonce(state.nonces.check(keyName, nonce, timestamp));
}

function useNonce(keyName: string, nonce: string, timestamp: number, now: number, state: AblyServerState): void {
  refuseNonce(state.nonces.use(keyName, nonce, timestamp, now));
}

function refuseNonce(outcome: NonceOutcome): void {
  if (outcome === 'replayed') throw new TokensmithError(40105, 'nonce value replayed');
  if (outcome === 'evicted-window') throw new TokensmithError(40104, 'timestamp not current: too old for the server to rule out a replay');
}
