import { randomFillSync } from 'node:crypto';
import { Buffer } from 'node:buffer';

/**
 * Random base64url strings sliced from one pooled buffer that `randomFillSync` refills when used
 * up. A `randomBytes` call per string costs a trip into the CSPRNG and a fresh Buffer each time;
 * filling a few kilobytes at once makes the per-string cost a slice. Each byte is handed out once.
 *
 * @param bytes random bytes behind each string (30 gives 40 characters).
 * @param perFill strings drawn per refill.
 * @example
 * ```ts
 * const tokenBody = randomBase64UrlSource(30);
 * tokenBody(); // 'pTq9…' (40 characters)
 * ```
 */
export function randomBase64UrlSource(bytes: number, perFill = 256): () => string {
  const pool = Buffer.alloc(bytes * perFill);
  let offset = pool.length;
  return () => {
    if (offset === pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const text = pool.toString('base64url', offset, offset + bytes);
    offset += bytes;
    return text;
  };
}
