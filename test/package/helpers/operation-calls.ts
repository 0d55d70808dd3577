/**
 * Reads an OpenAPI document as a test oracle, independently of the generator: its operations, the
 * security each declares, and an openapi-fetch call for each with the smallest arguments its
 * schemas require (so that `tsc` checks every path, parameter and body against the generated types).
 */

type Schema = Record<string, unknown>;
type Doc = { security?: Record<string, string[]>[]; paths: Record<string, Record<string, unknown>> } & Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** One operation: `METHOD /path`, its security alternatives (scheme names), and a call's arguments. */
export interface SpecOperation {
  key: string;
  method: string;
  path: string;
  security: string[][];
  /** The second argument of the openapi-fetch call as TypeScript source, or '' when none is needed. */
  init: string;
  /** The path the call requests, path parameters filled in as in `init`. */
  concretePath: string;
}

export function specOperations(doc: Doc): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const shared = ((item.parameters as unknown[]) ?? []).map((p) => deref(doc, p) as Schema);
    for (const method of METHODS) {
      const op = item[method] as Schema | undefined;
      if (!op) continue;
      const own = ((op.parameters as unknown[]) ?? []).map((p) => deref(doc, p) as Schema);
      const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own];
      const security = ((op.security ?? doc.security ?? []) as Record<string, string[]>[]).map((r) => Object.keys(r));
      const concretePath = path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
        const parameter = parameters.find((p) => p.in === 'path' && p.name === name);
        return String(sample(doc, parameter?.schema ?? { type: 'string' }));
      });
      operations.push({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, security, init: callInit(doc, parameters, op.requestBody), concretePath });
    }
  }
  return operations;
}

function callInit(doc: Doc, parameters: Schema[], requestBody: unknown): string {
  const params: Record<string, Record<string, unknown>> = {};
  for (const parameter of parameters) {
    if (parameter.in !== 'path' && !parameter.required) continue;
    const where = parameter.in as string;
    (params[where] ??= {})[parameter.name as string] = sample(doc, parameter.schema ?? { type: 'string' });
  }
  const parts: string[] = [];
  if (Object.keys(params).length > 0) parts.push(`params: ${JSON.stringify(params)}`);
  const body = deref(doc, requestBody) as { required?: boolean; content?: Record<string, { schema?: unknown }> } | undefined;
  const media = body?.content?.['application/json'];
  if (media?.schema !== undefined) parts.push(`body: ${JSON.stringify(sample(doc, media.schema))}`);
  return parts.length === 0 ? '' : `{ ${parts.join(', ')} }`;
}

/** The smallest value a schema accepts: required properties only, first enum value or union member. */
export function sample(doc: Doc, input: unknown): unknown {
  const schema = deref(doc, input) as Schema;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const union of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[union])) return sample(doc, schema[union][0]);
  }
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...schema.allOf.map((part) => sample(doc, part) as object));
  }
  switch (schema.type) {
    case 'string':
      return 'x';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return (schema.minItems as number | undefined) ? [sample(doc, schema.items)] : [];
    default: {
      const properties = (schema.properties ?? {}) as Record<string, unknown>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((name) => [name, sample(doc, properties[name] ?? { type: 'string' })]));
    }
  }
}

function deref(doc: Doc, value: unknown): unknown {
  let current = value;
  while (current && typeof current === 'object' && '$ref' in current) {
    const ref = (current as { $ref: string }).$ref;
    current = ref.slice(2).split('/').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], doc);
  }
  return current;
}
