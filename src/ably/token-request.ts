import type { Signer } from './crypto/signer';
import type { AblyKey } from './key';
import type { NormalisedTokenParams } from './token-params';
import { tokenRequestSigningText } from './token-request-signing';
import type { TokenRequest } from './types';

/**
 * Builds and signs a TokenRequest locally with the key [RSA9]. Synchronous when the timestamp is
 * at hand and the signer can sign synchronously (node:crypto), so the hot path makes no promise.
 *
 * @param params already normalised (capability canonical, fields checked).
 * @param now the timestamp source used when `params.timestamp` is absent: the local clock, or
 * server time when `queryTime` is on [RSA9d, RSA10k].
 * @see Ably client spec RSA9
 */
export function signTokenRequest(
  key: AblyKey,
  signer: Signer,
  params: NormalisedTokenParams,
  now: () => number | Promise<number>,
): TokenRequest | Promise<TokenRequest> {
  const timestamp = params.timestamp ?? now();
  if (typeof timestamp !== 'number') return timestamp.then((resolved) => sign(key, signer, params, resolved));
  return sign(key, signer, params, timestamp);
}

function sign(key: AblyKey, signer: Signer, params: NormalisedTokenParams, timestamp: number): TokenRequest | Promise<TokenRequest> {
  // Fields in the order the official SDK writes them; absent ones left out, never null.
  const request = { keyName: key.keyName } as TokenRequest;
  if (params.ttl) request.ttl = params.ttl;
  if (params.capability) request.capability = params.capability;
  if (params.clientId) request.clientId = params.clientId;
  request.timestamp = timestamp;
  request.nonce = params.nonce ?? signer.nonce();
  const text = tokenRequestSigningText(request);
  const hmac = key.hmacKey(signer);
  if (hmac.signSync) {
    request.mac = hmac.signSync(text);
    return request;
  }
  return hmac.sign(text).then((mac) => {
    request.mac = mac;
    return request;
  });
}
