/**
 * The crypto a client needs, behind one small interface so the default entry can use Web Crypto
 * and the `node` export condition `node:crypto`.
 */

/** An HMAC-SHA256 key imported once and reused for every signature. */
export interface HmacSha256Key {
  /** base64 HMAC-SHA256 of the UTF-8 bytes of `text`. */
  sign(text: string): Promise<string>;
  /** The same, synchronously, where the platform can (node:crypto); absent with Web Crypto. */
  signSync?(text: string): string;
}

/** Crypto primitives for signing token requests. */
export interface Signer {
  /** Which implementation this is, for diagnostics and tests. */
  readonly name: 'web' | 'node';
  /**
   * Imports `secret` (UTF-8, non-empty: Web Crypto refuses empty HMAC keys) as an HMAC-SHA256 key.
   * Call once per key and keep the result.
   */
  importHmacKey(secret: string): HmacSha256Key;
  /** A fresh nonce of at least 16 URL-safe characters from a cryptographic source. */
  nonce(): string;
}

/** Length of every nonce the signers make: 12 random bytes as 16 base64url characters (96 bits). */
export const NONCE_LENGTH = 16;
/** Random bytes behind each nonce. */
export const NONCE_BYTES = 12;
