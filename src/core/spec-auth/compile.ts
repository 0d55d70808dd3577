import { invalid, invalidEntry, requirementsOf, schemeKind } from './requirements';
import type { AnySchemeProvider, SchemeKind, SchemeUse, SecurityRequirement, SecuritySchemeMap, SecuritySchemeObject, SpecSecurityMap } from './types';

/**
 * Compiles a security map and the configured providers into a per-operation plan, once: a
 * two-level lookup (method, then schema path) of plans, so a request costs two Map reads and
 * allocates nothing. Why an operation cannot be authenticated is worked out only by the
 * refusing engine (./refuse.ts), so AblyAuth and MetquayAuth, which send such calls as they are,
 * do not bundle those rules and messages.
 */

/**
 * Finds the provider for a scheme, or undefined when none is configured for it or the scheme
 * cannot be sent; throws (40003) for a provider that does not serve the scheme's kind.
 */
export type ProviderResolver = (schemeName: string, scheme: SecuritySchemeObject, kind: SchemeKind) => EngineProvider | undefined;

/** What the engine calls: a {@link SchemeProvider} less its `kinds`, which only `createSpecAuth` checks (./refuse.ts). */
export type EngineProvider = Omit<AnySchemeProvider, 'kinds'>;

/** One alternative (AND of schemes) with a provider for every scheme; parallel arrays. */
export interface PlannedAlternative {
  readonly uses: readonly SchemeUse[];
  readonly providers: readonly EngineProvider[];
}

/** How one operation is authenticated. */
export interface OperationPlan {
  readonly operation: string;
  /** The alternatives whose every scheme has a provider, in the spec's order. */
  readonly alternatives: readonly PlannedAlternative[];
  /** True when `{}` is one of the alternatives: no auth is acceptable too. */
  readonly optional: boolean;
}

/**
 * Returns the plan of an operation; null for `security: []`; undefined for one the map does not
 * list, unless the lookup was built with `anyHttp`.
 */
export type PlanLookup = (method: string, schemaPath: string) => OperationPlan | null | undefined;

/** A security map's two parts, as both auth middlewares take them. */
type MapParts = Pick<SpecSecurityMap, 'operationSecurity' | 'securitySchemes'>;

/**
 * The two-level lookup both auth middlewares compile a map into. Checks the map's shape and
 * operation keys (40003); `compile` gets each operation's requirements, and `unlisted` (called
 * after every operation is compiled) the answer for an operation the map does not list.
 */
export function compileMap<T>(
  security: MapParts,
  compile: (operation: string, requirements: readonly SecurityRequirement[], schemes: SecuritySchemeMap) => T,
  unlisted: (schemes: SecuritySchemeMap) => T,
): (method: string, schemaPath: string) => T {
  for (const part of ['operationSecurity', 'securitySchemes'] as const) {
    if (!security?.[part] || typeof security[part] !== 'object') throw invalid(`"${part}" must be an object`);
  }
  const { operationSecurity, securitySchemes } = security;
  const byMethod = new Map<string, Map<string, T>>();
  for (const [operation, alternatives] of Object.entries(operationSecurity)) {
    const [, method, path] = /^([A-Z]+) (\/.*)$/s.exec(operation) ?? [];
    if (!path) throw invalid(`operationSecurity key "${operation}" must look like "METHOD /path"`);
    let paths = byMethod.get(method!);
    if (!paths) byMethod.set(method!, (paths = new Map()));
    paths.set(path, compile(operation, requirementsOf(operation, alternatives), securitySchemes));
  }
  const fallback = unlisted(securitySchemes);
  return (method, schemaPath) => {
    const found = byMethod.get(method)?.get(schemaPath);
    return found === undefined ? fallback : found;
  };
}

/**
 * Builds the plan lookup. `serverUrl` goes into every {@link SchemeUse}. `anyHttp`: an operation
 * missing from the map is planned as needing any bearer, else basic, scheme the map declares (the
 * pre-0.x default); otherwise the lookup answers undefined for it. Throws 40003 for a malformed
 * map or a requirement naming an undeclared scheme (and whatever `resolve` throws).
 */
export function compilePlans(security: MapParts, resolve: ProviderResolver, serverUrl: string | undefined, anyHttp: boolean): PlanLookup {
  const plan = (operation: string, requirements: readonly SecurityRequirement[], schemes: SecuritySchemeMap): OperationPlan | null => {
    if (requirements.length === 0) return null;
    const alternatives: PlannedAlternative[] = [];
    let optional = false;
    for (const requirement of requirements) {
      const names = Object.keys(requirement);
      if (names.length === 0) optional = true;
      const uses: SchemeUse[] = [];
      const providers: EngineProvider[] = [];
      for (const schemeName of names) {
        const scheme = schemes[schemeName];
        if (!scheme) throw invalidEntry(operation, `names scheme "${schemeName}", missing from securitySchemes`);
        const kind = schemeKind(scheme);
        const provider = kind && resolve(schemeName, scheme, kind);
        if (!provider) break;
        const use: SchemeUse = Object.freeze({ operation, schemeName, scheme, kind: kind!, scopes: Object.freeze([...requirement[schemeName]!]), serverUrl });
        provider.prepare?.(use);
        uses.push(use);
        providers.push(provider);
      }
      // Plans are not frozen: V8 reads frozen arrays on the warm path measurably slower (about 90 ns
      // a request here). Nothing outside this module holds them.
      if (uses.length && uses.length === names.length) alternatives.push({ uses, providers });
    }
    return { operation, alternatives, optional };
  };
  return compileMap<OperationPlan | null | undefined>(security, plan, (schemes) => {
    if (!anyHttp) return undefined;
    const ofKind = (kind: SchemeKind) => Object.keys(schemes).filter((name) => schemeKind(schemes[name]!) === kind);
    return plan('(unlisted)', [...ofKind('bearer'), ...ofKind('basic')].map((name) => ({ [name]: [] })), schemes);
  });
}
