import { base64FromUtf8 } from '../core/base64';
import type { Signer } from './crypto/signer';
import type { AblyKey } from './key';
import type { NormalisedTokenParams } from './token-params';

/**
 * Ably JWTs signed with the API key: HS256, `kid` = keyName, capability and clientId in the
 * `x-ably-capability` and `x-ably-clientId` claims. Ably accepts them as bearer tokens.
 * @see https://ably.com/docs/auth/token#jwt
 */

/** Lifetime of a JWT when no ttl is given: 60 minutes, as Ably's token default. */
export const DEFAULT_JWT_TTL_MS = 60 * 60 * 1000;

/**
 * Signs an Ably JWT. `iat` is `nowMs` (server time when the clock offset is known) and `exp`
 * `iat + ttl`, both in whole seconds.
 */
export async function signAblyJwt(key: AblyKey, signer: Signer, params: NormalisedTokenParams, nowMs: number): Promise<string> {
  const iat = Math.floor((params.timestamp ?? nowMs) / 1000);
  const exp = iat + Math.ceil((params.ttl || DEFAULT_JWT_TTL_MS) / 1000);
  const header = { typ: 'JWT', alg: 'HS256', kid: key.keyName };
  const claims: Record<string, string | number> = { iat, exp };
  if (params.capability) claims['x-ably-capability'] = params.capability;
  if (params.clientId) claims['x-ably-clientId'] = params.clientId;
  const signingInput = `${base64Url(base64FromUtf8(JSON.stringify(header)))}.${base64Url(base64FromUtf8(JSON.stringify(claims)))}`;
  const signature = await key.hmacKey(signer).sign(signingInput);
  return `${signingInput}.${base64Url(signature)}`;
}

function base64Url(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
