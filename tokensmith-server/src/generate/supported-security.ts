import { unmetRequirement, unsupportedReason } from 'tokensmith';
import type { OpenApiDocument, SecuritySchemeObject } from './document';
import { GenerateError } from './errors';
import { listOperations } from './operations';
import { resolveRef } from './refs';

/** An operation none of whose security alternatives tokensmith can send. */
export interface UnsupportedOperation {
  /** `"METHOD /path/template"`, as the security map keys it. */
  operation: string;
  /** For each alternative, in the spec's order, the first scheme that cannot be sent and why. */
  blockers: { scheme: string; problem: string }[];
}

/**
 * Why tokensmith's auth cannot apply `scheme` at run time, or `undefined` when it can: the auth
 * engine's own rule (`unsupportedReason` of the root package), so a spec that generates clean is
 * one the engine can authenticate. http basic and bearer, apiKey in a header, the query or a
 * cookie, oauth2, openIdConnect and mutualTLS are applied; any other http scheme (digest, hoba, …)
 * is not.
 */
export function schemeProblem(scheme: SecuritySchemeObject | undefined): string | undefined {
  return scheme === undefined ? 'not declared' : unsupportedReason(scheme);
}

/**
 * Every operation whose security tokensmith cannot meet, by the engine's `unmetRequirement`: it
 * lists alternatives and each names a scheme {@link schemeProblem} refuses. An operation with one
 * usable alternative (or `{}`, or `security: []`) is fine: the auth uses that alternative. A scheme name that
 * `components.securitySchemes` does not declare makes the spec invalid, a {@link GenerateError}.
 */
export function findUnsupportedOperations(doc: OpenApiDocument): UnsupportedOperation[] {
  const declared = doc.components?.securitySchemes ?? {};
  const schemes: Record<string, SecuritySchemeObject> = {};
  for (const [name, scheme] of Object.entries(declared)) schemes[name] = resolveRef(doc, scheme) as SecuritySchemeObject;
  const unsupported: UnsupportedOperation[] = [];
  for (const { key, operation } of listOperations(doc)) {
    const requirements = operation.security ?? doc.security ?? [];
    if (!Array.isArray(requirements)) throw new GenerateError('spec-invalid', `operation "${key}": "security" must be a list`);
    for (const requirement of requirements) {
      if (!requirement || typeof requirement !== 'object' || Array.isArray(requirement)) {
        throw new GenerateError('spec-invalid', `operation "${key}": each "security" entry must be an object of scheme names`);
      }
      for (const [name, scopes] of Object.entries(requirement)) {
        if (schemes[name] === undefined) {
          throw new GenerateError('spec-invalid', `operation "${key}" names security scheme "${name}", which components.securitySchemes does not declare`);
        }
        if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) {
          throw new GenerateError('spec-invalid', `operation "${key}": security scheme "${name}" must map to a list of scopes (e.g. [] or [read])`);
        }
      }
    }
    if (unmetRequirement(key, requirements, schemes) === undefined) continue;
    const blockers = requirements.map((requirement) => {
      const scheme = Object.keys(requirement).find((name) => schemeProblem(schemes[name]) !== undefined)!;
      return { scheme, problem: schemeProblem(schemes[scheme])! };
    });
    unsupported.push({ operation: key, blockers });
  }
  return unsupported;
}

/** One line per operation: `GET /x: "digestAuth" (http scheme "digest": …)`, alternatives joined by "; or ". */
export function describeUnsupported(entry: UnsupportedOperation): string {
  return `${entry.operation}: ${entry.blockers.map(({ scheme, problem }) => `"${scheme}" (${problem})`).join('; or ')}`;
}
