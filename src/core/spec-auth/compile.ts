import { ConfigurationError, InvalidArgumentError } from '../errors';
import { requirementsOf, schemeKind, splitOperation, unsupportedReason, type UnmetRequirement } from './requirements';
import type { AnySchemeProvider, SchemeKind, SchemeUse, SecuritySchemeMap, SecuritySchemeObject, SpecSecurityMap } from './types';

/**
 * Compiles a security map and the configured providers into a per-operation plan, once: a
 * two-level lookup (method, then schema path) of plans, so a request costs two Map reads
 * and allocates nothing.
 */

/** Finds the provider for a scheme, or undefined when none is configured for it. */
export type ProviderResolver = (schemeName: string, scheme: SecuritySchemeObject, kind: SchemeKind) => AnySchemeProvider | undefined;

/** One alternative (AND of schemes) with a provider for every scheme; parallel arrays. */
export interface PlannedAlternative {
  readonly uses: readonly SchemeUse[];
  readonly providers: readonly AnySchemeProvider[];
}

/** How one operation is authenticated. */
export interface OperationPlan {
  readonly operation: string;
  /** The alternatives whose every scheme has a provider, in the spec's order. */
  readonly alternatives: readonly PlannedAlternative[];
  /** True when `{}` is one of the alternatives: no auth is acceptable too. */
  readonly optional: boolean;
  /** Why no alternative can be met, when none can and auth is not optional: the call is refused before the network. */
  readonly unmet: UnmetRequirement | undefined;
}

/** Options of {@link compilePlans}. */
export interface CompileOptions {
  resolve: ProviderResolver;
  /** Relative scheme URLs resolve against this; default the map's `defaultServerUrl`. */
  serverUrl?: string | undefined;
  /** An operation missing from the map: `refuse` (40106 at call time) or `http` (any basic/bearer scheme the map declares, required: the pre-0.x default). */
  unlisted: 'refuse' | 'http';
}

/** Returns the plan of an operation, or null for `security: []`. */
export type PlanLookup = (method: string, schemaPath: string) => OperationPlan | null;

/**
 * Builds the lookup. Throws 40003 for a malformed map, a requirement naming an undeclared scheme,
 * or a provider configured for a scheme of a kind it does not serve.
 */
export function compilePlans(security: SpecSecurityMap, options: CompileOptions): PlanLookup {
  const { operationSecurity, securitySchemes } = security ?? {};
  if (!operationSecurity || typeof operationSecurity !== 'object') throw invalid('"operationSecurity" must be an object');
  if (!securitySchemes || typeof securitySchemes !== 'object') throw invalid('"securitySchemes" must be an object');
  const serverUrl = options.serverUrl ?? (typeof security.defaultServerUrl === 'string' ? security.defaultServerUrl : undefined);
  const resolved = new Map<string, AnySchemeProvider | undefined>();
  const providerFor = (schemeName: string, scheme: SecuritySchemeObject): AnySchemeProvider | undefined => {
    if (resolved.has(schemeName)) return resolved.get(schemeName);
    const kind = schemeKind(scheme);
    const provider = kind === undefined || unsupportedReason(scheme) !== undefined ? undefined : options.resolve(schemeName, scheme, kind);
    if (provider !== undefined && kind !== undefined && !(kind in provider.kinds)) {
      throw invalid(`the credential for scheme "${schemeName}" serves ${Object.keys(provider.kinds).join(', ')}, not ${kind}`);
    }
    resolved.set(schemeName, provider);
    return provider;
  };

  const byMethod = new Map<string, Map<string, OperationPlan | null>>();
  for (const [operation, alternatives] of Object.entries(operationSecurity)) {
    const { method, path } = splitOperation(operation);
    let paths = byMethod.get(method);
    if (!paths) byMethod.set(method, (paths = new Map()));
    paths.set(path, planOperation(operation, alternatives, securitySchemes, serverUrl, providerFor));
  }
  const unlisted = options.unlisted === 'http' ? anyHttpPlan(securitySchemes, serverUrl, providerFor) : undefined;
  return (method, schemaPath) => {
    const plan = byMethod.get(method)?.get(schemaPath);
    if (plan !== undefined) return plan;
    return unlisted ?? unlistedPlan(method, schemaPath);
  };
}

function planOperation(
  operation: string,
  alternatives: SpecSecurityMap['operationSecurity'][string],
  schemes: SecuritySchemeMap,
  serverUrl: string | undefined,
  providerFor: (schemeName: string, scheme: SecuritySchemeObject) => AnySchemeProvider | undefined,
): OperationPlan | null {
  const requirements = requirementsOf(operation, alternatives);
  if (requirements.length === 0) return null;
  const planned: PlannedAlternative[] = [];
  let optional = false;
  let unmet: UnmetRequirement | undefined;
  for (const requirement of requirements) {
    const names = Object.keys(requirement);
    if (names.length === 0) {
      optional = true;
      continue;
    }
    const uses: SchemeUse[] = [];
    const providers: AnySchemeProvider[] = [];
    for (const schemeName of names) {
      const scheme = schemes[schemeName];
      if (!scheme) throw invalid(`operationSecurity "${operation}" names scheme "${schemeName}", missing from securitySchemes`);
      const provider = providerFor(schemeName, scheme);
      if (provider === undefined) {
        unmet ??= { operation, schemeName, reason: unsupportedReason(scheme) ?? 'no credential is configured for it' };
        break;
      }
      const use: SchemeUse = Object.freeze({
        operation,
        schemeName,
        scheme,
        kind: schemeKind(scheme) as SchemeKind,
        scopes: Object.freeze([...(requirement[schemeName] ?? [])]),
        serverUrl,
      });
      provider.prepare?.(use);
      uses.push(use);
      providers.push(provider);
    }
    // Plans are not frozen: V8 reads frozen arrays on the warm path measurably slower (about 90 ns
    // a request here). Nothing outside this module holds them.
    if (uses.length === names.length) planned.push({ uses, providers });
  }
  if (planned.length > 0 || optional) unmet = undefined;
  return { operation, alternatives: planned, optional, unmet };
}

/** The plan for an operation the map does not list, under `unlisted: 'http'`: any bearer, else basic, scheme with a provider. */
function anyHttpPlan(
  schemes: SecuritySchemeMap,
  serverUrl: string | undefined,
  providerFor: (schemeName: string, scheme: SecuritySchemeObject) => AnySchemeProvider | undefined,
): OperationPlan {
  const operation = '(an operation missing from operationSecurity)';
  const names = Object.keys(schemes);
  const ordered = [...names.filter((n) => schemeKind(schemes[n]!) === 'bearer'), ...names.filter((n) => schemeKind(schemes[n]!) === 'basic')];
  if (ordered.length === 0) {
    return Object.freeze({ operation, alternatives: [], optional: false, unmet: { operation, schemeName: '(none)', reason: 'the map declares no basic or bearer scheme' } });
  }
  return planOperation(operation, ordered.map((name) => ({ [name]: [] as string[] })), schemes, serverUrl, providerFor)!;
}

const unlistedPlans = new Map<string, OperationPlan>();
function unlistedPlan(method: string, schemaPath: string): OperationPlan {
  const operation = `${method} ${schemaPath}`;
  let plan = unlistedPlans.get(operation);
  if (!plan) {
    plan = Object.freeze({ operation, alternatives: [], optional: false, unmet: { operation, schemeName: '(none)', reason: 'the operation is missing from operationSecurity; regenerate the security map' } });
    if (unlistedPlans.size < 256) unlistedPlans.set(operation, plan);
  }
  return plan;
}

/** The call-time refusal of an operation whose requirement cannot be met (40106), before any network. */
export function unmetError(unmet: UnmetRequirement): ConfigurationError {
  return new ConfigurationError(40106, `cannot authenticate ${unmet.operation}: scheme "${unmet.schemeName}": ${unmet.reason}`);
}

function invalid(message: string): InvalidArgumentError {
  return new InvalidArgumentError(40003, message);
}
