import { canonicalCapability, parseCapability, TokensmithError } from 'tokensmith';
import { assertValidCapability, intersectCapabilities, type CapabilityMap } from './capability-rules';
import { BoundedStore, ByteBudget } from '../lib/bounded-store';
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
 * tenth of a token request's CPU. Bounded in entries per key and in estimated bytes for all keys:
 * past either the oldest grants are forgotten (the key's own first) and computed again when asked
 * for. Refusals (an invalid or empty capability) are not remembered; they throw each time.
 */
export class GrantCache {
  /** Per key name (the app's own keys only), on one byte budget. */
  private readonly byKey = new Map<string, BoundedStore<string, Grant>>();
  private readonly budget: ByteBudget;

  /**
   * @param maxEntries most grants remembered per key.
   * @param maxBytes most estimated bytes remembered, all keys together.
   */
  constructor(
    private readonly maxEntries = 512,
    maxBytes = 2 * 1024 * 1024,
  ) {
    this.budget = new ByteBudget(maxBytes);
  }

  /** Grants remembered. */
  get size(): number {
    let size = 0;
    for (const grants of this.byKey.values()) size += grants.size;
    return size;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.budget.held;
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
    // Looked up by key name, then by the text: no combined key string to build and hash per request.
    let grants = this.byKey.get(key.keyName);
    const cached = grants?.get(text);
    if (cached) return cached;
    const grant = computeGrant(key, text);
    if (text.length > MAX_CACHED_TEXT) return grant;
    if (grants === undefined) {
      grants = new BoundedStore<string, Grant>({ maxEntries: this.maxEntries, budget: this.budget, sizeOf: grantBytes });
      this.byKey.set(key.keyName, grants);
    }
    // The budget may be full of other keys' grants: the oldest of the largest key's go then.
    while (!grants.addAbsent(text, grant)) if (!this.largestBut(grants)?.evictOldest()) break;
    return grant;
  }

  /** Forgets every grant. */
  clear(): void {
    for (const grants of this.byKey.values()) grants.clear();
    this.byKey.clear();
  }

  private largestBut(grants: BoundedStore<string, Grant>): BoundedStore<string, Grant> | undefined {
    let largest: BoundedStore<string, Grant> | undefined;
    for (const other of this.byKey.values()) if (other !== grants && other.bytes > (largest?.bytes ?? 0)) largest = other;
    return largest;
  }
}

// The requested text, and the capability object counted as its canonical text.
function grantBytes(text: string, grant: Grant): number {
  return ENTRY_OVERHEAD_BYTES + 2 * (text.length + 2 * grant.text.length);
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
