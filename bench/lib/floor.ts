import * as crypto from 'node:crypto';

/**
 * The physical floor of createTokenRequest on Node: exactly the work a TokenRequest needs and
 * nothing else — one nonce sliced from a pooled random buffer, one `JSON.stringify` of a
 * capability already in canonical order, one HMAC-SHA256 as two one-shot `crypto.hash` calls over
 * key pads computed once (RFC 2104), synchronous, no Buffer made per call. Written independently of `src/` so the bench
 * compares tokensmith against the floor, not against itself.
 */

/** A TokenRequest as the floor builds it. */
export interface FloorTokenRequest {
  keyName: string;
  ttl: number;
  capability: string;
  clientId: string;
  timestamp: number;
  nonce: string;
  mac: string;
}

type OneShotHash = (algorithm: string, data: Uint8Array, encoding: 'buffer' | 'base64' | 'latin1') => Buffer | string;
const hash = (crypto as unknown as { hash?: OneShotHash }).hash;

/** True when this Node has one-shot `crypto.hash` (>= 20.12), which the floor needs. */
export const floorAvailable = typeof hash === 'function';

/** A floor createTokenRequest bound to one key. */
export function createFloor(keyName: string, secret: string): (ttl: number, capability: object, clientId: string) => FloorTokenRequest {
  if (!hash) throw new Error('the floor needs crypto.hash (Node >= 20.12)');
  const oneShot = hash;
  const key = Buffer.from(secret, 'utf8');
  const block = key.length > 64 ? (oneShot('sha256', key, 'buffer') as Buffer) : key;
  const inner = Buffer.alloc(64 + 4096);
  const outer = Buffer.alloc(64 + 32);
  for (let i = 0; i < 64; i++) {
    inner[i] = (block[i] ?? 0) ^ 0x36;
    outer[i] = (block[i] ?? 0) ^ 0x5c;
  }
  const pool = Buffer.alloc(12 * 1024);
  let offset = pool.length;
  return (ttl, capabilityObject, clientId) => {
    if (offset === pool.length) {
      crypto.randomFillSync(pool);
      offset = 0;
    }
    const nonce = pool.toString('base64url', offset, offset + 12);
    offset += 12;
    const capability = JSON.stringify(capabilityObject);
    const timestamp = Date.now();
    const text = `${keyName}\n${ttl}\n${capability}\n${clientId}\n${timestamp}\n${nonce}\n`;
    const length = inner.write(text, 64, 'utf8');
    // A 'latin1' string out and back in is cheaper than a Buffer out of C++ plus a copy.
    outer.write(oneShot('sha256', inner.subarray(0, 64 + length), 'latin1') as string, 64, 'latin1');
    const mac = oneShot('sha256', outer, 'base64') as string;
    return { keyName, ttl, capability, clientId, timestamp, nonce, mac };
  };
}
