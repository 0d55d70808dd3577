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

/**
 * The revocations in force, by key. A rule is dropped once every token it can match has expired
 * (`issuedBefore` + the longest ttl), so the list only holds rules that still matter; past
 * `maxRules` a new rule is refused rather than an old one forgotten (forgetting would un-revoke).
 */
export class RevocationList {
  private readonly byKey = new Map<string, RevocationRule[]>();
  private count = 0;

  constructor(
    private readonly maxRules: number,
    private readonly maxTtlMs: number,
  ) {}

  /** Number of rules held. */
  get size(): number {
    return this.count;
  }

  /** Adds a rule; false when the list is full of rules still in force. */
  add(rule: RevocationRule, now: number): boolean {
    if (this.count >= this.maxRules) this.prune(now);
    if (this.count >= this.maxRules) return false;
    const rules = this.byKey.get(rule.keyName) ?? [];
    rules.push(rule);
    this.byKey.set(rule.keyName, rules);
    this.count += 1;
    return true;
  }

  /** True when a rule in force matches the token `principal` authenticated with. */
  revokes(principal: Principal, now: number): boolean {
    if (this.count === 0 || principal.issued === undefined) return false;
    const rules = this.byKey.get(principal.keyName);
    if (!rules) return false;
    const issued = principal.issued;
    return rules.some((rule) => now >= rule.appliesAt && issued < rule.issuedBefore && matches(rule, principal));
  }

  /** Forgets every rule. */
  clear(): void {
    this.byKey.clear();
    this.count = 0;
  }

  private prune(now: number): void {
    for (const [keyName, rules] of this.byKey) {
      const live = rules.filter((rule) => rule.issuedBefore + this.maxTtlMs > now);
      this.count -= rules.length - live.length;
      if (live.length === 0) this.byKey.delete(keyName);
      else this.byKey.set(keyName, live);
    }
  }
}

function matches(rule: RevocationRule, principal: Principal): boolean {
  if (rule.type === 'clientId') return principal.clientId === rule.value;
  if (rule.type === 'revocationKey') return principal.revocationKey === rule.value;
  return Object.keys(principal.capability).some((resource) => resourceCovers(resource, rule.value));
}
