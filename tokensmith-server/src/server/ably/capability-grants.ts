import { canonicalCapability, parseCapability, TokensmithError } from 'tokensmith';
import { assertKnownOperations, intersectCapabilities, type CapabilityMap } from './capability-rules';
import type { ServerKey } from './keys';

/** What a token gets: its capability, and that capability's canonical JSON text (as answered). */
export interface Grant {
  /** Frozen (at run time): shared by every token issued for the same request text. */
  readonly capability: CapabilityMap;
  readonly text: string;
}

/** Requested capability texts longer than this are intersected every time, never remembered. */
const MAX_CACHED_TEXT = 1024;

/**
 * The capability each (key, requested capability text) pair grants, computed once: clients ask
 * for the same few capabilities over and over, and parsing, checking and intersecting them was a
 * tenth of a token request's CPU. Bounded: past `maxEntries` the cache starts over. Refusals (an
 * invalid or empty capability) are not remembered; they throw each time.
 */
export class GrantCache {
  private readonly grants = new Map<string, Map<string, Grant>>();
  private entries = 0;

  constructor(private readonly maxEntries = 512) {}

  /**
   * The grant for `requested` (the request's capability text; absent or empty means the key's
   * whole capability) under `key`.
   *
   * @throws {TokensmithError} 40003 for an invalid capability or an unknown operation, 40160 when
   * it shares nothing with the key's capability.
   */
  grant(key: ServerKey, requested: string | undefined): Grant {
    const text = requested ?? '';
    let byText = this.grants.get(key.keyName);
    const cached = byText?.get(text);
    if (cached) return cached;
    const grant = computeGrant(key, text);
    if (text.length > MAX_CACHED_TEXT) return grant;
    if (this.entries >= this.maxEntries) this.clear();
    if (!byText || this.entries === 0) {
      byText = new Map();
      this.grants.set(key.keyName, byText);
    }
    byText.set(text, grant);
    this.entries++;
    return grant;
  }

  /** Forgets every grant. */
  clear(): void {
    this.grants.clear();
    this.entries = 0;
  }
}

function computeGrant(key: ServerKey, requested: string): Grant {
  if (requested === '') return frozenGrant(key.capability);
  const parsed = parseCapability(requested);
  assertKnownOperations(parsed);
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
