import { base64FromBytes } from '../../core/base64';
import { NONCE_BYTES, type HmacSha256Key, type Signer } from './signer';

const encoder = /* @__PURE__ */ new TextEncoder();
const POOL_NONCES = 256;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The Web Crypto signer: `crypto.subtle` HMAC and `crypto.getRandomValues` nonces. Works in
 * browsers, workers, Deno, Bun and Node; the default entry uses it.
 *
 * @example
 * ```ts
 * const key = webSigner.importHmacKey(secret);
 * const mac = await key.sign(text);
 * ```
 */
export const webSigner: Signer = {
  name: 'web',
  importHmacKey(secret: string): HmacSha256Key {
    let key: CryptoKey | undefined;
    const imported = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']).then((resolved) => (key = resolved));
    // Keep a failed import from surfacing as an unhandled rejection before the first sign().
    imported.catch(() => undefined);
    const text = createTextBuffer();
    return {
      sign(message: string): Promise<string> {
        // Once imported, sign at once: no wait on the import promise, no copy of the text (sign()
        // copies its input before it returns, so the scratch buffer can be reused).
        if (key) return crypto.subtle.sign('HMAC', key, text.encode(message)).then(base64FromDigest);
        const bytes = encoder.encode(message);
        return imported.then((resolved) => crypto.subtle.sign('HMAC', resolved, bytes)).then(base64FromDigest);
      },
    };
  },
  nonce: /* @__PURE__ */ createNonceSource(),
};

/** Standard base64 of an HMAC digest. */
function base64FromDigest(digest: ArrayBuffer): string {
  return base64FromBytes(new Uint8Array(digest));
}

/** UTF-8 encoding into one reused buffer, grown when a text does not fit. */
function createTextBuffer(): { encode(text: string): Uint8Array<ArrayBuffer> } {
  let buffer = new Uint8Array(512);
  return {
    encode(text) {
      // A UTF-16 code unit is at most 3 UTF-8 bytes.
      if (text.length * 3 > buffer.length) buffer = new Uint8Array(text.length * 3);
      return buffer.subarray(0, encoder.encodeInto(text, buffer).written);
    },
  };
}

/** Nonces sliced from a pooled `getRandomValues` buffer, refilled when used up. */
function createNonceSource(): () => string {
  const pool = new Uint8Array(NONCE_BYTES * POOL_NONCES);
  let offset = pool.length;
  return () => {
    if (offset + NONCE_BYTES > pool.length) {
      crypto.getRandomValues(pool);
      offset = 0;
    }
    let nonce = '';
    // 3 bytes -> 4 characters; 12 bytes -> 16.
    for (let i = offset; i < offset + NONCE_BYTES; i += 3) {
      const triple = ((pool[i] as number) << 16) | ((pool[i + 1] as number) << 8) | (pool[i + 2] as number);
      nonce += BASE64URL[triple >> 18]! + BASE64URL[(triple >> 12) & 63]! + BASE64URL[(triple >> 6) & 63]! + BASE64URL[triple & 63]!;
    }
    offset += NONCE_BYTES;
    return nonce;
  };
}
