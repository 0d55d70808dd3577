import { InvalidArgumentError } from '../errors';
import type { OperationRequirements, SchemeKind, SecurityRequirement, SecuritySchemeMap, SecuritySchemeObject } from './types';

/**
 * Pure rules over a security map, shared by the auth engine (at run time) and `generate` (to list
 * the operations it cannot authenticate): what kind a scheme is, whether tokensmith can send it,
 * and whether an operation's requirement can be met.
 */

/** The kind of `scheme`, or undefined for a `type` OpenAPI does not define. */
export function schemeKind(scheme: SecuritySchemeObject): SchemeKind | undefined {
  const { type } = scheme;
  if (type !== 'http') return OTHER_KINDS.includes(type as SchemeKind) ? (type as SchemeKind) : undefined;
  const kind = scheme.scheme?.toLowerCase();
  return kind === 'basic' || kind === 'bearer' ? kind : 'http';
}

const OTHER_KINDS: readonly SchemeKind[] = ['apiKey', 'oauth2', 'openIdConnect', 'mutualTLS'];

/** Why tokensmith cannot send a scheme, or undefined when it can (given a credential). */
export function unsupportedReason(scheme: SecuritySchemeObject): string | undefined {
  const kind = schemeKind(scheme);
  if (kind === undefined) return `type "${String(scheme.type)}" is not an OpenAPI security scheme type`;
  if (kind === 'http') return `http scheme "${String(scheme.scheme)}" is not supported (only basic and bearer)`;
  if (kind === 'apiKey') {
    if (!['header', 'query', 'cookie'].includes(scheme.in!)) return `apiKey "in" must be header, query or cookie`;
    if (typeof scheme.name !== 'string' || scheme.name === '') return 'apiKey has no "name"';
  }
  return undefined;
}

/**
 * One operation's alternatives as requirement objects (OR of ANDs), in the spec's order; the
 * legacy shape `[["basicAuth"], []]` is read as `[{ basicAuth: [] }, {}]`.
 */
export function requirementsOf(operation: string, alternatives: OperationRequirements[string]): readonly SecurityRequirement[] {
  if (!Array.isArray(alternatives)) throw invalidEntry(operation, 'must be an array of alternatives');
  return alternatives.map((alternative): SecurityRequirement => {
    if (Array.isArray(alternative)) {
      if (!alternative.every(isString)) throw invalidEntry(operation, 'lists a scheme name that is not a string');
      return Object.fromEntries(alternative.map((name) => [name, []]));
    }
    if (typeof alternative !== 'object' || alternative === null) throw invalidEntry(operation, 'must list requirement objects');
    for (const [name, scopes] of Object.entries(alternative)) {
      if (!Array.isArray(scopes) || !scopes.every(isString)) throw invalidEntry(operation, `gives scheme "${name}" scopes that are not a list of strings`);
    }
    return alternative as SecurityRequirement;
  });
}

const isString = (value: unknown): boolean => typeof value === 'string';

/** An operation's requirement tokensmith cannot meet: the scheme that blocks it and why. */
export interface UnmetRequirement {
  readonly operation: string;
  readonly schemeName: string;
  readonly reason: string;
}

/**
 * Whether tokensmith can authenticate `operation`: undefined when it can (`security: []`, an
 * optional `{}` alternative, or one alternative whose every scheme is supported and, when
 * `configured` is given, has a credential), else the first blocking scheme of the first
 * alternative, in spec order. Pure; `generate` uses it with no `configured` to list what it
 * cannot support.
 *
 * @example
 * ```ts
 * const unmet = unmetRequirement('GET /pets', [{ digestAuth: [] }], securitySchemes);
 * // { operation: 'GET /pets', schemeName: 'digestAuth', reason: 'http scheme "digest" is not supported (only basic and bearer)' }
 * ```
 */
export function unmetRequirement(
  operation: string,
  alternatives: OperationRequirements[string],
  schemes: SecuritySchemeMap,
  configured?: (schemeName: string, scheme: SecuritySchemeObject) => boolean,
): UnmetRequirement | undefined {
  let first: UnmetRequirement | undefined;
  for (const requirement of requirementsOf(operation, alternatives)) {
    const blocked = blockingScheme(operation, requirement, schemes, configured);
    if (blocked === undefined) return undefined;
    first ??= blocked;
  }
  return first;
}

function blockingScheme(
  operation: string,
  requirement: SecurityRequirement,
  schemes: SecuritySchemeMap,
  configured: ((schemeName: string, scheme: SecuritySchemeObject) => boolean) | undefined,
): UnmetRequirement | undefined {
  for (const schemeName of Object.keys(requirement)) {
    const scheme = schemes[schemeName];
    const reason = !scheme
      ? 'missing from securitySchemes'
      : (unsupportedReason(scheme) ?? (configured && !configured(schemeName, scheme) ? 'no credential is configured for it' : undefined));
    if (reason !== undefined) return { operation, schemeName, reason };
  }
  return undefined;
}

/** 40003 for the `operationSecurity` entry of `operation`: `operationSecurity "<operation>" <what>`. */
export function invalidEntry(operation: string, what: string): InvalidArgumentError {
  return invalid(`operationSecurity "${operation}" ${what}`);
}

/** 40003 (InvalidArgumentError) with `message`: a security map that cannot be used. */
export function invalid(message: string): InvalidArgumentError {
  return new InvalidArgumentError(40003, message);
}
