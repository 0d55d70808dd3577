import type { HmacSha256Key } from './crypto/signer';
import type { TokenRequest } from './types';

/**
 * The text a TokenRequest's MAC is computed over.
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
