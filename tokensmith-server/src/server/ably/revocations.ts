import { BoundedStore } from '../lib/bounded-store';
import { resourceCovers } from './capability-rules';
import type { Principal } from './principal';

/** What a revocation target names. */
export type RevocationTargetType = 'clientId' | 'revocationKey' | 'channel';

/** One revocation in force: tokens of `keyName` matching the target and issued before `issuedBefore`. */
export interface RevocationRule {
  keyName: string;
  type: RevocationTargetType;
  value: string;
  /** ms since the epoch. */
  issuedBefore: number;
  /** ms since the epoch; the rule is enforced from then on. */
  appliesAt: number;
}

/** Default byte bound of the revocations in force (values at 2 bytes a character plus a fixed overhead). */
export const DEFAULT_REVOCATION_BYTES = 4 * 1024 * 1024;
// Per-rule bookkeeping beyond its strings (record, numbers, map and set slots), estimated.
const RULE_OVERHEAD_BYTES = 160;

/**
 * The revocations in force, by key. A rule is dropped once every token it can match has expired
 * (`issuedBefore` + the longest ttl), so the list only holds rules that still matter; past
 * `maxRules` or `maxBytes` a new rule is refused rather than an old one forgotten (forgetting would
 * un-revoke).
 */
export class RevocationList {
  private readonly rules: BoundedStore<number, RevocationRule>;
  private readonly byKey = new Map<string, Set<RevocationRule>>();
  private nextId = 0;

  constructor(maxRules: number, maxTtlMs: number, maxBytes = DEFAULT_REVOCATION_BYTES) {
    this.rules = new BoundedStore<number, RevocationRule>({
      maxEntries: maxRules,
      maxBytes,
      sizeOf: (_id, rule) => RULE_OVERHEAD_BYTES + 2 * (rule.keyName.length + rule.value.length),
      policy: { isStale: (rule, now) => rule.issuedBefore + maxTtlMs <= now, whenFull: 'refuse' },
      onEvict: (_id, rule) => this.unindex(rule),
    });
  }

  /** Number of rules held. */
  get size(): number {
    return this.rules.size;
  }

  /** Adds a rule; false when the list is full of rules still in force. */
  add(rule: RevocationRule, now: number): boolean {
    if (!this.rules.set(this.nextId++, rule, now)) return false;
    const rules = this.byKey.get(rule.keyName) ?? new Set<RevocationRule>();
    rules.add(rule);
    this.byKey.set(rule.keyName, rules);
    return true;
  }

  /** True when a rule in force matches the token `principal` authenticated with. */
  revokes(principal: Principal, now: number): boolean {
    if (this.rules.size === 0 || principal.issued === undefined) return false;
    const rules = this.byKey.get(principal.keyName);
    if (!rules) return false;
    const issued = principal.issued;
    for (const rule of rules) {
      if (now >= rule.appliesAt && issued < rule.issuedBefore && matches(rule, principal)) return true;
    }
    return false;
  }

  /** Forgets every rule. */
  clear(): void {
    this.rules.clear();
    this.byKey.clear();
  }

  private unindex(rule: RevocationRule): void {
    const rules = this.byKey.get(rule.keyName);
    rules?.delete(rule);
    if (rules?.size === 0) this.byKey.delete(rule.keyName);
  }
}

function matches(rule: RevocationRule, principal: Principal): boolean {
  if (rule.type === 'clientId') return principal.clientId === rule.value;
  if (rule.type === 'revocationKey') return principal.revocationKey === rule.value;
  return Object.keys(principal.capability).some((resource) => resourceCovers(resource, rule.value));
}
