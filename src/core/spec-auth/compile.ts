import { InvalidArgumentError } from '../errors';
import { requirementsOf, schemeKind, splitOperation } from './requirements';
import type { AnySchemeProvider, SchemeKind, SchemeUse, SecuritySchemeMap, SecuritySchemeObject, SpecSecurityMap } from './types';

/**
 * Compiles a security map and the configured providers into a per-operation plan, once: a
 * two-level lookup (method, then schema path) of plans, so a request costs two Map reads
 * and allocates nothing. Why an operation cannot be authenticated is worked out only by the
 * refusing engine (./refuse.ts), so AblyAuth and MetquayAuth, which send such calls as they are,
 * do not bundle those rules and messages.
 */

/**
 * Finds the provider for a scheme, or undefined when none is configured for it or the scheme
 * cannot be sent; throws (40003) for a provider that does not serve the scheme's kind.
 */
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
  /** The scheme that blocked the first unmet alternative, when none can be met and auth is not optional (`scheme` undefined: none was declared). */
  readonly blocked: BlockedScheme | undefined;
}

/** The first scheme, in spec order, that kept an operation's alternatives from being met. */
export interface BlockedScheme {
  readonly schemeName: string;
  readonly scheme: SecuritySchemeObject | undefined;
  /** Why, when fixed as the plan was made (else worked out from `scheme` when refused). */
  readonly reason?: string;
}

/** Options of {@link compilePlans}. */
export interface CompileOptions {
  resolve: ProviderResolver;
  /** Relative scheme URLs resolve against this; default the map's `defaultServerUrl`. */
  serverUrl?: string | undefined;
  /** An operation missing from the map: its plan (./refuse.ts: refused at call time), or `http` (any basic/bearer scheme the map declares, required: the pre-0.x default). */
  unlisted: 'http' | ((method: string, schemaPath: string) => OperationPlan);
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
    const provider = kind === undefined ? undefined : options.resolve(schemeName, scheme, kind);
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
  const unlisted = options.unlisted === 'http' ? anyHttpPlan(securitySchemes, serverUrl, providerFor) : options.unlisted;
  return (method, schemaPath) => {
    const plan = byMethod.get(method)?.get(schemaPath);
    if (plan !== undefined) return plan;
    return typeof unlisted === 'function' ? unlisted(method, schemaPath) : unlisted;
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
  let blocked: BlockedScheme | undefined;
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
        blocked ??= { schemeName, scheme };
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
  if (planned.length > 0 || optional) blocked = undefined;
  return { operation, alternatives: planned, optional, blocked };
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
  if (ordered.length === 0) return Object.freeze({ operation, alternatives: [], optional: false, blocked: { schemeName: '(none)', scheme: undefined } });
  return planOperation(operation, ordered.map((name) => ({ [name]: [] as string[] })), schemes, serverUrl, providerFor)!;
}

function invalid(message: string): InvalidArgumentError {
  return new InvalidArgumentError(40003, message);
}
