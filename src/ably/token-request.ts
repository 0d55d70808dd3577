import type { Signer } from './crypto/signer';
import type { AblyKey } from './key';
import type { NormalisedTokenParams } from './token-params';
import { tokenRequestMac } from './token-request-signing';
import type { TokenRequest } from './types';

/**
 * Builds and signs a TokenRequest locally with the key [RSA9].
 *
 * @param params already normalised (capability canonical, fields checked).
 * @param now the timestamp source used when `params.timestamp` is absent: the local clock, or
 * server time when `queryTime` is on [RSA9d, RSA10k].
 * @see Ably client spec RSA9
 */
export async function signTokenRequest(
  key: AblyKey,
  signer: Signer,
  params: NormalisedTokenParams,
  now: () => number | Promise<number>,
): Promise<TokenRequest> {
  const timestamp = params.timestamp ?? (await now());
  const nonce = params.nonce ?? signer.nonce();
  const fields = {
    keyName: key.keyName,
    ...(params.ttl ? { ttl: params.ttl } : {}),
    ...(params.capability ? { capability: params.capability } : {}),
    ...(params.clientId ? { clientId: params.clientId } : {}),
    timestamp,
    nonce,
  };
  const mac = await tokenRequestMac(key.hmacKey(signer), fields);
  return { ...fields, mac };
}
