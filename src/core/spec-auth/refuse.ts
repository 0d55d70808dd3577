import { ConfigurationError, InvalidArgumentError } from '../errors';
import type { OperationPlan, ProviderResolver } from './compile';
import { unmetRequirement, unsupportedReason } from './requirements';
import type { AnySchemeProvider, SpecSecurityMap } from './types';

/**
 * What the refusing engine (`createSpecAuth`) adds to the plans of ./compile.ts: only configured
 * providers of schemes tokensmith can send and of the right kind, and the call-time refusal
 * (40106) of an operation the map does not list or whose requirement cannot be met, saying which
 * scheme blocks it and why. Apart so AblyAuth and MetquayAuth, which never refuse, do not bundle it.
 */

/** `resolve`, except that a scheme tokensmith cannot send gets no provider, and a provider of the wrong kind is refused (40003). */
export function checkedResolver(resolve: (...args: Parameters<ProviderResolver>) => AnySchemeProvider | undefined): ProviderResolver {
  return (schemeName, scheme, kind) => {
    if (unsupportedReason(scheme) !== undefined) return undefined;
    const provider = resolve(schemeName, scheme, kind);
    if (provider !== undefined && !(kind in provider.kinds)) {
      throw new InvalidArgumentError(40003, `the credential for scheme "${schemeName}" serves ${Object.keys(provider.kinds).join(', ')}, not ${kind}`);
    }
    return provider;
  };
}

/**
 * `onUnmet` of the refusing engine over `security`, whose configured schemes `configured` tells:
 * throws the call-time refusal (40106) naming the scheme that blocks the operation and why: the
 * first, in spec order, that is unsupported or has no credential, else (every scheme configured)
 * its first, unavailable one.
 */
export function unmetRefusal(security: SpecSecurityMap, configured: (schemeName: string) => boolean) {
  return (method: string, schemaPath: string, plan: OperationPlan | undefined): never => {
    const operation = plan?.operation ?? `${method} ${schemaPath}`;
    const { schemeName, reason } = plan
      ? (unmetRequirement(operation, security.operationSecurity[operation]!, security.securitySchemes, configured) ?? {
          schemeName: plan.alternatives[0]?.uses[0]?.schemeName ?? '(none)',
          reason: 'no configured credential is available now',
        })
      : { schemeName: '(none)', reason: 'the operation is missing from operationSecurity; regenerate the security map' };
    throw new ConfigurationError(40106, `cannot authenticate ${operation}: scheme "${schemeName}": ${reason}`);
  };
}
