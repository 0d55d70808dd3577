import { nodeSigner, type NodeHmacSha256Key } from 'tokensmith';
import type { ResolvedAblyKey } from '../config';
import type { CapabilityMap } from './capability-rules';

/** A configured key with its HMAC key imported once. */
export interface ServerKey {
  /** `<appId>.<keyId>`. */
  readonly keyName: string;
  /** The key secret; compared in constant time, never logged or sent. */
  readonly secret: string;
  /** The secret as bytes, for verifying Ably JWTs. */
  readonly secretBytes: Uint8Array;
  /** What the key may do. */
  readonly capability: CapabilityMap;
  /** Signs TokenRequest text with the secret. */
  readonly hmac: NodeHmacSha256Key;
}

/** The configured keys, and which of them the test controls have revoked. */
export class KeyRing {
  private readonly keys = new Map<string, ServerKey>();
  private readonly revoked = new Set<string>();

  constructor(keys: readonly ResolvedAblyKey[]) {
    for (const { keyName, secret, capability } of keys) {
      this.keys.set(keyName, {
        keyName,
        secret,
        secretBytes: new TextEncoder().encode(secret),
        capability,
        hmac: nodeSigner.importHmacKey(secret),
      });
    }
  }

  /** The key named `keyName`, if configured. */
  get(keyName: string): ServerKey | undefined {
    return this.keys.get(keyName);
  }

  /** True once the key was revoked (until a reset). */
  isRevoked(keyName: string): boolean {
    return this.revoked.has(keyName);
  }

  /** Revokes a configured key; false when no such key exists. */
  revoke(keyName: string): boolean {
    if (!this.keys.has(keyName)) return false;
    this.revoked.add(keyName);
    return true;
  }

  /** Un-revokes every key. */
  reset(): void {
    this.revoked.clear();
  }
}
