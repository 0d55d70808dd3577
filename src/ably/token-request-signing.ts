import type { HmacSha256Key, Signer } from './crypto/signer';
import type { AblyKey } from './key';
import type { NormalisedTokenParams } from './token-params';
import type { TokenRequest } from './types';

/**
 * Signing a TokenRequest: the text its MAC is computed over, and building one with the key.
 */

/** The fields of a TokenRequest that are signed (everything but `mac`). */
export type SignedTokenRequestFields = Pick<TokenRequest, 'keyName' | 'ttl' | 'capability' | 'clientId' | 'timestamp' | 'nonce'>;

/**
 * `keyName\nttl\ncapability\nclientId\ntimestamp\nnonce\n` — each field followed by a newline,
 * absent fields as empty strings. `capability` is used exactly as given (the canonical JSON text).
 * As in the official SDK, a `ttl` of 0 counts as absent (0 means "server default").
 *
 * @example
 * ```ts
 * tokenRequestSigningText({ keyName: 'app.key', timestamp: 1700000000000, nonce: 'abcdefghijklmnop' });
 * // 'app.key\n\n\n\n1700000000000\nabcdefghijklmnop\n'
 * ```
 */
export function tokenRequestSigningText(request: Readonly<Partial<SignedTokenRequestFields>>): string {
  return (
    (request.keyName ?? '') + '\n' +
    (request.ttl || '') + '\n' +
    (request.capability || '') + '\n' +
    (request.clientId || '') + '\n' +
    (request.timestamp ?? '') + '\n' +
    (request.nonce ?? '') + '\n'
  );
}

/**
 * The base64 HMAC-SHA256 MAC of a TokenRequest, keyed with the key secret.
 *
 * @param key the key secret imported once with `signer.importHmacKey(secret)`.
 * @example
 * ```ts
 * const mac = await tokenRequestMac(webSigner.importHmacKey(secret), fields);
 * ```
 */
export function tokenRequestMac(key: HmacSha256Key, request: Readonly<Partial<SignedTokenRequestFields>>): Promise<string> {
  return key.sign(tokenRequestSigningText(request));
}

/**
 * Compares two MACs in constant time for equal lengths (and does a dummy compare otherwise), so
 * the time taken says nothing about how much of a forged MAC was right.
 */
export function macsEqual(expected: string, actual: string): boolean {
  const a = expected;
  const b = actual.length === a.length ? actual : a;
  let diff = actual.length === a.length ? 0 : 1;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Builds and signs a TokenRequest locally with the key [RSA9]. Synchronous when the timestamp is
 * at hand and the signer can sign synchronously (node:crypto), so the hot path makes no promise.
 *
 * @param params already normalised (capability canonical, fields checked).
 * @param now the timestamp used when `params.timestamp` is absent (or its source): the local
 * clock, or server time when `queryTime` is on [RSA9d, RSA10k].
 * @see Ably client spec RSA9
 */
export function signTokenRequest(
  key: AblyKey,
  signer: Signer,
  params: NormalisedTokenParams,
  now: number | (() => number | Promise<number>),
): TokenRequest | Promise<TokenRequest> {
  const timestamp = params.timestamp ?? (typeof now === 'number' ? now : now());
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
