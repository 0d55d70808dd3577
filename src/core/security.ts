import { compileMap } from './spec-auth/compile';
import { invalidEntry, schemeKind } from './spec-auth/requirements';
import type { OperationRequirements, SecuritySchemeMap } from './spec-auth/types';

/**
 * Compiles the generated security map (`operationSecurity` + `securitySchemes`) into a
 * two-level lookup (method, then schema path) built once, so a request costs two Map reads and
 * no string or array building.
 */

/** An auth scheme tokensmith can put in an Authorization header. */
export type AuthScheme = 'basic' | 'bearer';

/**
 * Generated map from `"METHOD /path/template"` to the operation's security alternatives: the
 * spec's requirement objects (`{ schemeName: scopes }`), or, in maps generated before, lists of
 * scheme names. `[]` means no auth; an empty alternative means no auth is also accepted.
 */
export type OperationSecurity = OperationRequirements;

/** Generated `components.securitySchemes` (a header-string {@link AuthProvider} uses only `type: 'http'` basic and bearer). */
export type SecuritySchemes = SecuritySchemeMap;

/**
 * A spec's security map as `tokensmith generate` writes it in `<name>.security.ts`: pass the
 * module (or these two exports) to `auth.middlewareFor()` or `createAuthMiddleware`.
 */
export interface SpecSecurity {
  /** The generated `operationSecurity`. */
  readonly operationSecurity: OperationSecurity;
  /** The generated `securitySchemes`. */
  readonly securitySchemes: SecuritySchemes;
}

/** What an operation accepts: the schemes in the spec's order, and whether none is acceptable too. */
export interface OperationAuth {
  readonly allowed: readonly AuthScheme[];
  readonly optional: boolean;
}

/** Lookup result for an operation that takes no auth (`security: []`). */
export const NO_AUTH = null;

/**
 * Used for an operation missing from the map: any scheme, required. Every operation of a
 * generated spec is listed, so a miss means a hand-built path; sending credentials is the safer
 * guess there than sending none.
 */
export const ANY_SCHEME: OperationAuth = /* @__PURE__ */ Object.freeze({ allowed: /* @__PURE__ */ Object.freeze(['bearer', 'basic'] as const), optional: false });

/** Returns the operation's auth, or `NO_AUTH` (null) when it takes none. */
export type SecurityLookup = (method: string, schemaPath: string) => OperationAuth | null;

/** Builds the lookup; throws a ConfigurationError naming the operation or scheme that is unusable. */
export function compileSecurity(operationSecurity: OperationSecurity, securitySchemes: SecuritySchemes): SecurityLookup {
  return compileMap<OperationAuth | null>(
    { operationSecurity, securitySchemes },
    (operation, requirements, schemes) => {
      if (requirements.length === 0) return NO_AUTH;
      const allowed: AuthScheme[] = [];
      let optional = false;
      for (const requirement of requirements) {
        const names = Object.keys(requirement);
        if (names.length === 0) optional = true;
        // An alternative needing two schemes at once cannot fit one Authorization header.
        if (names.length !== 1) continue;
        const scheme = schemes[names[0]!];
        if (!scheme) throw invalidEntry(operation, `names scheme "${names[0]}", missing from securitySchemes`);
        const kind = schemeKind(scheme);
        if ((kind === 'basic' || kind === 'bearer') && !allowed.includes(kind)) allowed.push(kind);
      }
      if (allowed.length === 0 && !optional) throw invalidEntry(operation, 'allows no scheme tokensmith supports (http basic or bearer)');
      return Object.freeze({ allowed: Object.freeze(allowed), optional });
    },
    () => ANY_SCHEME,
  );
}
