import { listOperations, type ParameterObject } from './operations';
import { resolveRef } from './refs';
import type { OpenApiDocument, SecuritySchemeObject } from './document';
import { schemeSummary } from './scheme-summary';
import { schemeProblem } from './supported-security';

/** One way to satisfy an operation's security: every scheme listed at once; none when empty. */
export interface SecurityAlternative {
  /** Each scheme by name, with a note such as ` (scopes \`read\`)` or ` (not sent by tokensmith)`. */
  schemes: { name: string; note: string }[];
}

/** What the call example needs that the templates cannot work out themselves. */
export interface CallShape {
  /** The required parameters as an openapi-fetch `params` literal, e.g. `{ path: { keyName } }`. */
  params?: string;
  /** The operation takes a request body. */
  hasBody: boolean;
  /** The call needs an options object at all. */
  hasOptions: boolean;
  /** The operation has parameters other than the body (the docs list them). */
  hasParams: boolean;
}

const LOCATIONS = ['path', 'query', 'header', 'cookie'] as const;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A copy of `doc` in which every operation carries `x-tokensmith-security` (its security
 * alternatives, as the spec declares them) and `x-tokensmith-call` (see {@link CallShape}).
 * openapi-generator flattens an operation's security into one list of schemes, losing "either
 * of" versus "all of" and the empty alternative that makes auth optional, and mustache cannot
 * group required parameters by location or quote a header name, so the markdown templates read
 * these instead. Schemas and parameters with a default carry it as a TypeScript literal in
 * `x-tokensmith-default` (the generator prints a missing default as `null`), every security
 * scheme carries a one-line `x-tokensmith-scheme` (see {@link schemeSummary}), descriptions
 * lose trailing whitespace so they can be indented into list items, and `$ref`'d response
 * headers are inlined.
 */
export function annotateForDocs(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(doc);
  annotateNodes(copy, copy);
  const schemes = copy.components?.securitySchemes ?? {};
  for (const [name, declared] of Object.entries(schemes)) {
    const scheme = structuredClone(resolveRef(doc, declared)) as SecuritySchemeObject & Record<string, unknown>;
    scheme['x-tokensmith-scheme'] = schemeSummary(scheme);
    schemes[name] = scheme;
  }
  for (const { path, method, operation } of listOperations(doc)) {
    const target = copy.paths?.[path]?.[method.toLowerCase()] as Record<string, unknown>;
    const requirements = operation.security ?? doc.security ?? [];
    const security: SecurityAlternative[] = requirements.length === 0
      ? [{ schemes: [] }]
      : requirements.map((requirement) => ({
        schemes: Object.keys(requirement).sort().map((name) => ({ name, note: schemeNote(requirement[name] ?? [], schemes[name]) })),
      }));
    target['x-tokensmith-security'] = security;
    target['x-tokensmith-call'] = callShape(operation.parameters ?? [], operation.requestBody !== undefined);
  }
  return copy;
}

/** What the operation's auth line says after a scheme's name: its scopes, or that tokensmith cannot send it. */
function schemeNote(scopes: readonly string[], scheme: SecuritySchemeObject | undefined): string {
  if (schemeProblem(scheme) !== undefined) return ' (not sent by tokensmith)';
  return scopes.length === 0 ? '' : ` (${scopes.length === 1 ? 'scope' : 'scopes'} ${scopes.map((scope) => `\`${scope.replace(/`/g, "'")}\``).join(', ')})`;
}

function callShape(parameters: ParameterObject[], hasBody: boolean): CallShape {
  const groups: string[] = [];
  for (const location of LOCATIONS) {
    const required = parameters.filter((p) => p.in === location && (p.required === true || location === 'path'));
    if (required.length > 0) groups.push(`${location}: { ${required.map((p) => entry(p.name)).join(', ')} }`);
  }
  const params = groups.length > 0 ? `{ ${groups.join(', ')} }` : undefined;
  return {
    ...(params === undefined ? {} : { params }),
    hasBody,
    hasOptions: params !== undefined || hasBody,
    hasParams: parameters.length > 0,
  };
}

/** `keyName` as shorthand; `'X-Request-Id': xRequestId` for a name that is no identifier. */
function entry(name: string): string {
  if (IDENTIFIER.test(name)) return name;
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const variable = words.map((word, i) => (i === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1).toLowerCase())).join('');
  return `'${name.replace(/'/g, "\\'")}': ${IDENTIFIER.test(variable) ? variable : `_${variable}`}`;
}

/**
 * Trims descriptions and records defaults, everywhere but inside examples; inlines `$ref`'d
 * response headers, whose descriptions the generator would otherwise drop.
 */
function annotateNodes(node: unknown, doc: OpenApiDocument): void {
  if (Array.isArray(node)) {
    node.forEach((item) => annotateNodes(item, doc));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const object = node as Record<string, unknown>;
  if (typeof object.description === 'string') object.description = object.description.trimEnd();
  const schema = object.schema as Record<string, unknown> | undefined;
  if (typeof object.in === 'string' && schema && typeof schema === 'object' && 'default' in schema) {
    object['x-tokensmith-default'] = literal(schema.default);
  } else if (isSchema(object) && 'default' in object) {
    object['x-tokensmith-default'] = literal(object.default);
  }
  const headers = object.headers;
  if (headers && typeof headers === 'object' && 'description' in object) {
    for (const [name, header] of Object.entries(headers)) (headers as Record<string, unknown>)[name] = structuredClone(resolveRef(doc, header));
  }
  for (const [key, value] of Object.entries(object)) {
    if (key !== 'example' && key !== 'examples') annotateNodes(value, doc);
  }
}

function isSchema(object: Record<string, unknown>): boolean {
  return typeof object.type === 'string' || Array.isArray(object.type) || Array.isArray(object.enum);
}

function literal(value: unknown): string {
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}
