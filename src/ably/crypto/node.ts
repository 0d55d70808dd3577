import * as nodeCrypto from 'node:crypto';
import { Buffer } from 'node:buffer';
import { NONCE_BYTES, type HmacSha256Key, type Signer } from './signer';

/** An HMAC-SHA256 key that can also sign synchronously (the server verifies MACs with it). */
export interface NodeHmacSha256Key extends HmacSha256Key {
  /** base64 HMAC-SHA256 of the UTF-8 bytes of `text`, computed synchronously. */
  signSync(text: string): string;
}

/** A Signer whose keys also sign synchronously. */
export interface NodeSigner extends Signer {
  importHmacKey(secret: string): NodeHmacSha256Key;
}

const BLOCK = 64;
const DIGEST = 32;
const POOL_NONCES = 512;
// Room for the text after the inner pad: a TokenRequest's signing text with a capability of a few
// dozen resources fits, so the common call never has to measure the text's UTF-8 length first.
const INNER_TEXT_BYTES = 4096;

type OneShotHash = (algorithm: string, data: Uint8Array, outputEncoding: 'buffer' | 'base64' | 'latin1') => Buffer | string;
// `crypto.hash` (Node >= 20.12) hashes in one call without building a Hash object.
const oneShotHash = (nodeCrypto as unknown as { hash?: OneShotHash }).hash;

/**
 * The `node:crypto` signer, bound by the `node` export condition. HMAC is computed as two one-shot
 * SHA-256 hashes over key pads precomputed at import (`H(K^opad || H(K^ipad || text))`, RFC 2104),
 * several times cheaper than a `createHmac` object per signature; nonces are sliced from a pooled
 * `randomFillSync` buffer. Falls back to `createHmac` where `crypto.hash` is missing.
 *
 * @example
 * ```ts
 * const key = nodeSigner.importHmacKey(secret);
 * key.signSync(text) === createHmac('sha256', secret).update(text).digest('base64'); // true
 * ```
 */
export const nodeSigner: NodeSigner = {
  name: 'node',
  importHmacKey(secret: string): NodeHmacSha256Key {
    const signSync = oneShotHash ? padsHmac(oneShotHash, secret) : createHmacSigner(secret);
    return { signSync, sign: async (text) => signSync(text) };
  },
  nonce: /* @__PURE__ */ createNonceSource(),
};

/**
 * HMAC over precomputed pads with one-shot hashes. The inner digest comes back as a latin1 string
 * and is written into the outer buffer: in Node 20 `crypto.hash` with a string output is several
 * times cheaper than with a Buffer output. Not re-entrant, and need not be: it is synchronous.
 */
function padsHmac(hash: OneShotHash, secret: string): (text: string) => string {
  let keyBytes: Buffer = Buffer.from(secret, 'utf8');
  if (keyBytes.length > BLOCK) keyBytes = hash('sha256', keyBytes, 'buffer') as Buffer;
  let inner = Buffer.alloc(BLOCK + INNER_TEXT_BYTES);
  const outer = Buffer.alloc(BLOCK + DIGEST);
  for (let i = 0; i < BLOCK; i++) {
    const byte = keyBytes[i] ?? 0;
    inner[i] = byte ^ 0x36;
    outer[i] = byte ^ 0x5c;
  }
  keyBytes.fill(0);
  return (text) => {
    // A UTF-16 code unit is at most 3 UTF-8 bytes; only measure exactly when it might not fit.
    if (BLOCK + text.length * 3 > inner.length) {
      const needed = BLOCK + Buffer.byteLength(text, 'utf8');
      if (needed > inner.length) {
        const grown = Buffer.alloc(needed);
        inner.copy(grown, 0, 0, BLOCK);
        inner = grown;
      }
    }
    const length = inner.write(text, BLOCK, 'utf8');
    outer.write(hash('sha256', inner.subarray(0, BLOCK + length), 'latin1') as string, BLOCK, 'latin1');
    return hash('sha256', outer, 'base64') as string;
  };
}

function createHmacSigner(secret: string): (text: string) => string {
  return (text) => nodeCrypto.createHmac('sha256', secret).update(text, 'utf8').digest('base64');
}

/** Nonces sliced from a pooled random buffer, refilled when used up. */
function createNonceSource(): () => string {
  const pool = Buffer.alloc(NONCE_BYTES * POOL_NONCES);
  let offset = pool.length;
  return () => {
    if (offset + NONCE_BYTES > pool.length) {
      nodeCrypto.randomFillSync(pool);
      offset = 0;
    }
    const nonce = pool.toString('base64url', offset, offset + NONCE_BYTES);
    offset += NONCE_BYTES;
    return nonce;
  };
}
