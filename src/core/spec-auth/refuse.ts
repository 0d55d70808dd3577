import { ConfigurationError, InvalidArgumentError } from '../errors';
import type { OperationPlan, ProviderResolver } from './compile';
import { unsupportedReason, type UnmetRequirement } from './requirements';

/**
 * What the refusing engine (`createSpecAuth`) adds to the plans of ./compile.ts: only configured
 * providers of schemes tokensmith can send and of the right kind, a plan for an operation the map
 * does not list, and the call-time refusal (40106) saying which scheme blocked an operation and
 * why. Apart so AblyAuth and MetquayAuth, which never refuse, do not bundle it.
 */

/** `resolve`, except that a scheme tokensmith cannot send gets no provider, and a provider of the wrong kind is refused (40003). */
export function checkedResolver(resolve: ProviderResolver): ProviderResolver {
  return (schemeName, scheme, kind) => {
    if (unsupportedReason(scheme) !== undefined) return undefined;
    const provider = resolve(schemeName, scheme, kind);
    if (provider !== undefined && !(kind in provider.kinds)) {
      throw new InvalidArgumentError(40003, `the credential for scheme "${schemeName}" serves ${Object.keys(provider.kinds).join(', ')}, not ${kind}`);
    }
    return provider;
  };
}

const unlistedPlans = new Map<string, OperationPlan>();

/** The plan of an operation missing from the map: refused when called. */
export function unlistedPlan(method: string, schemaPath: string): OperationPlan {
  const operation = `${method} ${schemaPath}`;
  let plan = unlistedPlans.get(operation);
  if (!plan) {
    plan = Object.freeze({ operation, alternatives: [], optional: false, blocked: { schemeName: '(none)', scheme: undefined, reason: 'the operation is missing from operationSecurity; regenerate the security map' } });
    if (unlistedPlans.size < 256) unlistedPlans.set(operation, plan);
  }
  return plan;
}

/** Why `plan` cannot be authenticated now: its blocking scheme, else its first (unavailable) one. */
export function unmetOf(plan: OperationPlan): UnmetRequirement {
  const { operation, blocked } = plan;
  if (blocked === undefined) return { operation, schemeName: plan.alternatives[0]?.uses[0]?.schemeName ?? '(none)', reason: 'no configured credential is available now' };
  const reason = blocked.reason ?? (blocked.scheme === undefined ? 'the map declares no basic or bearer scheme' : (unsupportedReason(blocked.scheme) ?? 'no credential is configured for it'));
  return { operation, schemeName: blocked.schemeName, reason };
}

/** The call-time refusal of an operation whose requirement cannot be met (40106), before any network. */
export function unmetError(unmet: UnmetRequirement): ConfigurationError {
  return new ConfigurationError(40106, `cannot authenticate ${unmet.operation}: scheme "${unmet.schemeName}": ${unmet.reason}`);
}

/** `onUnmet` of the refusing engine: throws the 40106 for `plan`. */
export function refuseUnmet(plan: OperationPlan): never {
  throw unmetError(unmetOf(plan));
}
