import { PrintsSafely } from '../core/printable';
import { base64FromUtf8 } from '../core/base64';
import { InvalidCredentialsError } from '../core/errors';
import type { HmacSha256Key, Signer } from './crypto/signer';

/**
 * A parsed Ably API key, `appId.keyId:keySecret`. The secret lives in a private field: it is not
 * enumerable, not in `JSON.stringify`, not in `util.inspect`, and only leaves the object as the
 * Basic header value and as an imported HMAC key.
 *
 * @example
 * ```ts
 * const key = AblyKey.parse(process.env.ABLY_KEY!);
 * key.keyName; // 'appId.keyId'
 * JSON.stringify(key); // '{"keyName":"appId.keyId"}'
 * ```
 */
export class AblyKey extends PrintsSafely {
  /** The public part, `appId.keyId`. */
  readonly keyName: string;
  readonly #secret: string;
  readonly #hmacKeys = new WeakMap<Signer, HmacSha256Key>();
  #lastSigner: Signer | undefined;
  #lastHmacKey: HmacSha256Key | undefined;
  #basicAuthorization: string | undefined;

  private constructor(keyName: string, secret: string) {
    super();
    this.keyName = keyName;
    this.#secret = secret;
  }

  /**
   * Parses `appId.keyId:keySecret`.
   * @throws {InvalidCredentialsError} 40101 when the key is not a string, has no `:` secret, or
   * its name is not `appId.keyId`. The message never contains the key.
   */
  static parse(key: unknown): AblyKey {
    if (typeof key !== 'string') throw new InvalidCredentialsError('"key" must be a string of the form appId.keyId:keySecret');
    const colon = key.indexOf(':');
    if (colon < 0 || colon === key.length - 1) {
      throw new InvalidCredentialsError('"key" has no secret: expected appId.keyId:keySecret');
    }
    const keyName = key.slice(0, colon);
    const dot = keyName.indexOf('.');
    if (dot <= 0 || dot === keyName.length - 1 || /[\s/?#]/.test(keyName)) {
      throw new InvalidCredentialsError('"key" has an invalid name: expected appId.keyId:keySecret');
    }
    return new AblyKey(keyName, key.slice(colon + 1));
  }

  /** The `Authorization` value for Basic auth: `Basic base64(keyName:keySecret)`. */
  basicAuthorization(): string {
    return (this.#basicAuthorization ??= `Basic ${base64FromUtf8(`${this.keyName}:${this.#secret}`)}`);
  }

  /** The secret imported as an HMAC key with `signer`, once per signer. */
  hmacKey(signer: Signer): HmacSha256Key {
    // A process signs with one signer: remembering the last pair skips the WeakMap on every call.
    if (signer === this.#lastSigner && this.#lastHmacKey) return this.#lastHmacKey;
    let key = this.#hmacKeys.get(signer);
    if (!key) {
      key = signer.importHmacKey(this.#secret);
      this.#hmacKeys.set(signer, key);
    }
    this.#lastSigner = signer;
    this.#lastHmacKey = key;
    return key;
  }

  /** True when `other` is the same key (name and secret); compared without leaking timing on the secret. */
  equals(other: AblyKey): boolean {
    if (other.keyName !== this.keyName) return false;
    const a = this.#secret;
    const b = other.#secret;
    let diff = a.length ^ b.length;
    for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i % (b.length || 1));
    return diff === 0;
  }

  /** Secrets to scrub from any text this key could end up in (the secret and the whole key). */
  secrets(): string[] {
    return [this.#secret, `${this.keyName}:${this.#secret}`];
  }

  /** Only the public name. */
  toJSON(): { keyName: string } {
    return { keyName: this.keyName };
  }

  /** `AblyKey(appId.keyId)`; the secret is never shown. */
  override toString(): string {
    return `AblyKey(${this.keyName})`;
  }

}
