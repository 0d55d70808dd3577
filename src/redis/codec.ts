import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigurationError } from '../core/errors';
import type { TokenLike, TokenState } from '../core/store';

/**
 * How a {@link TokenState} is written to Redis: JSON, or with an encryption key
 * `tse1:` + base64(iv ‖ ciphertext ‖ GCM tag) of that JSON, the Redis key as associated data so a
 * value copied under another credential's key does not decrypt.
 */

const ENCRYPTED_PREFIX = 'tse1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Field names a token state must never carry; the same rule as credential identities. */
const SECRET_LOOKING = /secret|password|passwd|private/i;

/** Why a stored value was not usable; `undefined` from {@link TokenCodec.decode} comes with one. */
export type DecodeProblem = 'encrypted without a key' | 'not encrypted' | 'decryption failed' | 'malformed';

/** Encodes and decodes stored values, encrypting when given a 32-byte key. */
export class TokenCodec {
  constructor(private readonly key: Uint8Array | undefined) {}

  /**
   * The value to store under `redisKey`.
   * @throws {ConfigurationError} 40003 when a field name looks like a secret (e.g. `secretKey`).
   */
  encode(redisKey: string, state: TokenState<TokenLike>): string {
    assertNoSecretFields(state, 'state');
    const json = JSON.stringify(state);
    if (!this.key) return json;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(redisKey, 'utf8'));
    const body = Buffer.concat([iv, cipher.update(json, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return ENCRYPTED_PREFIX + body.toString('base64');
  }

  /** The state stored under `redisKey`, or the reason it cannot be used. */
  decode<T extends TokenLike>(redisKey: string, raw: string): TokenState<T> | DecodeProblem {
    const encrypted = raw.startsWith(ENCRYPTED_PREFIX);
    if (encrypted && !this.key) return 'encrypted without a key';
    if (!encrypted && this.key) return 'not encrypted';
    let json = raw;
    if (this.key) {
      const body = Buffer.from(raw.slice(ENCRYPTED_PREFIX.length), 'base64');
      if (body.length < IV_BYTES + TAG_BYTES) return 'malformed';
      try {
        const decipher = createDecipheriv('aes-256-gcm', this.key, body.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(redisKey, 'utf8'));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        json = Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        return 'decryption failed';
      }
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return 'malformed';
    }
    return isTokenState(parsed) ? (parsed as TokenState<T>) : 'malformed';
  }
}

function isTokenState(value: unknown): value is TokenState<TokenLike> {
  if (typeof value !== 'object' || value === null) return false;
  const { value: token, obtainedAt, expiresAt } = value as Partial<TokenState<TokenLike>>;
  return (
    typeof token === 'object' &&
    token !== null &&
    typeof token.token === 'string' &&
    token.token !== '' &&
    Number.isFinite(obtainedAt) &&
    (expiresAt === undefined || Number.isFinite(expiresAt))
  );
}

function assertNoSecretFields(value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [name, item] of Object.entries(value)) {
    const where = `${path}.${name}`;
    if (SECRET_LOOKING.test(name)) {
      throw new ConfigurationError(40003, `token state field "${where}" looks like a secret; refusing to store it in Redis`);
    }
    assertNoSecretFields(item, where);
  }
}
