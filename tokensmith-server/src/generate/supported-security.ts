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
 * Why tokensmith's auth cannot apply `scheme` at run time, or `undefined` when it can: http basic
 * and bearer, apiKey in a header, the query or a cookie, oauth2 (any flow), openIdConnect and
 * mutualTLS are applied; any other http scheme (digest, hoba, …) or an incomplete declaration is not.
 *
 * The same rules as the auth engine's, kept here as one pure function so it can be swapped for the
 * engine's own export once both live in the root package.
 */
export function schemeProblem(scheme: SecuritySchemeObject | undefined): string | undefined {
  switch (scheme?.type) {
    case 'http': {
      const kind = typeof scheme.scheme === 'string' ? scheme.scheme.toLowerCase() : '';
      if (kind === 'basic' || kind === 'bearer') return undefined;
      return `http scheme ${JSON.stringify(scheme.scheme ?? null)}: tokensmith sends http basic and bearer only`;
    }
    case 'apiKey':
      if (typeof scheme.name === 'string' && scheme.name !== '' && ['header', 'query', 'cookie'].includes(scheme.in ?? '')) return undefined;
      return 'apiKey needs a "name" and "in" of header, query or cookie';
    case 'oauth2':
      if (scheme.flows && typeof scheme.flows === 'object' && Object.keys(scheme.flows).length > 0) return undefined;
      return 'oauth2 declares no "flows"';
    case 'openIdConnect':
      if (typeof scheme.openIdConnectUrl === 'string' && scheme.openIdConnectUrl !== '') return undefined;
      return 'openIdConnect has no "openIdConnectUrl"';
    case 'mutualTLS':
      return undefined;
    default:
      return `type ${JSON.stringify(scheme?.type ?? null)} is not an OpenAPI security scheme type`;
  }
}

/**
 * Every operation whose security tokensmith cannot meet: it lists alternatives and each names a
 * scheme {@link schemeProblem} refuses. An operation with one usable alternative (or `{}`, or
 * `security: []`) is fine: the auth uses that alternative. A scheme name that
 * `components.securitySchemes` does not declare makes the spec invalid, a {@link GenerateError}.
 */
export function findUnsupportedOperations(doc: OpenApiDocument): UnsupportedOperation[] {
  const declared = doc.components?.securitySchemes ?? {};
  const unsupported: UnsupportedOperation[] = [];
  for (const { key, operation } of listOperations(doc)) {
    const requirements = operation.security ?? doc.security ?? [];
    if (!Array.isArray(requirements)) throw new GenerateError('spec-invalid', `operation "${key}": "security" must be a list`);
    const blockers: UnsupportedOperation['blockers'] = [];
    for (const requirement of requirements) {
      if (!requirement || typeof requirement !== 'object' || Array.isArray(requirement)) {
        throw new GenerateError('spec-invalid', `operation "${key}": each "security" entry must be an object of scheme names`);
      }
      let blocker: UnsupportedOperation['blockers'][number] | undefined;
      for (const name of Object.keys(requirement)) {
        if (declared[name] === undefined) {
          throw new GenerateError('spec-invalid', `operation "${key}" names security scheme "${name}", which components.securitySchemes does not declare`);
        }
        const problem = schemeProblem(resolveRef(doc, declared[name]) as SecuritySchemeObject);
        if (problem !== undefined) blocker ??= { scheme: name, problem };
      }
      if (blocker) blockers.push(blocker);
    }
    if (requirements.length > 0 && blockers.length === requirements.length) unsupported.push({ operation: key, blockers });
  }
  return unsupported;
}

/** One line per operation: `GET /x: "digestAuth" (http scheme "digest": …)`, alternatives joined by "; or ". */
export function describeUnsupported(entry: UnsupportedOperation): string {
  return `${entry.operation}: ${entry.blockers.map(({ scheme, problem }) => `"${scheme}" (${problem})`).join('; or ')}`;
}
