import { canonicalCapability, parseCapability, TokensmithError } from 'tokensmith';
import { assertValidCapability, intersectCapabilities, type CapabilityMap } from './capability-rules';
import { BoundedStore } from '../lib/bounded-store';
import type { ServerKey } from './keys';

/** What a token gets: its capability, and that capability's canonical JSON text (as answered). */
export interface Grant {
  /** Frozen (at run time): shared by every token issued for the same request text. */
  readonly capability: CapabilityMap;
  readonly text: string;
}

/** Requested capability texts longer than this are intersected every time, never remembered. */
const MAX_CACHED_TEXT = 1024;
// Per-grant bookkeeping beyond its texts (map entry, slot, frozen capability object), estimated.
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * The capability each (key, requested capability text) pair grants, computed once: clients ask
 * for the same few capabilities over and over, and parsing, checking and intersecting them was a
 * tenth of a token request's CPU. Bounded in entries and estimated bytes: past either the oldest
 * grants are forgotten (and computed again when asked for). Refusals (an invalid or empty
 * capability) are not remembered; they throw each time.
 */
export class GrantCache {
  private readonly grants: BoundedStore<string, Grant>;

  constructor(maxEntries = 512, maxBytes = 2 * 1024 * 1024) {
    this.grants = new BoundedStore<string, Grant>({
      maxEntries,
      maxBytes,
      // The capability object is counted as its canonical text.
      sizeOf: (key, grant) => ENTRY_OVERHEAD_BYTES + 2 * (key.length + 2 * grant.text.length),
    });
  }

  /** Grants remembered. */
  get size(): number {
    return this.grants.size;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.grants.bytes;
  }

  /**
   * The grant for `requested` (the request's capability text; absent or empty means the key's
   * whole capability) under `key`.
   *
   * @throws {TokensmithError} 40000 (HTTP 400) for an invalid capability, as Ably; 40160 when
   * it shares nothing with the key's capability.
   */
  grant(key: ServerKey, requested: string | undefined): Grant {
    const text = requested ?? '';
    const cacheKey = `${key.keyName}\n${text}`;
    const cached = this.grants.get(cacheKey);
    if (cached) return cached;
    const grant = computeGrant(key, text);
    if (text.length <= MAX_CACHED_TEXT) this.grants.set(cacheKey, grant);
    return grant;
  }

  /** Forgets every grant. */
  clear(): void {
    this.grants.clear();
  }
}

function computeGrant(key: ServerKey, requested: string): Grant {
  if (requested === '') return frozenGrant(key.capability);
  let parsed: CapabilityMap;
  try {
    parsed = parseCapability(requested);
  } catch (error) {
    // Ably answers any unusable capability with HTTP 400; 40000 is its generic code for it.
    throw new TokensmithError(40000, (error as Error).message.replace(/^capability/, 'body.capability'), { statusCode: 400 });
  }
  assertValidCapability(parsed, 'body.capability');
  const granted = intersectCapabilities(parsed, key.capability);
  if (Object.keys(granted).length === 0) {
    throw new TokensmithError(40160, "requested capability shares nothing with the key's capability");
  }
  return frozenGrant(granted);
}

function frozenGrant(capability: CapabilityMap): Grant {
  const copy: CapabilityMap = Object.create(null);
  for (const resource of Object.keys(capability)) copy[resource] = Object.freeze([...(capability[resource] as string[])]) as string[];
  return { capability: Object.freeze(copy), text: canonicalCapability(copy) };
}
