import { listOperations, type ParameterObject } from './operations';
import { resolveRef } from './refs';
import type { OpenApiDocument } from './document';

/** Keywords that document rather than validate, or that Ajv (draft-07, strict) does not know. */
const DROPPED_KEYWORDS = new Set([
  'example', 'examples', 'description', 'summary', 'title', 'externalDocs', 'xml', 'discriminator', 'deprecated',
]);
/** Formats Ajv's format plugin does not define; OpenAPI uses them as size hints only. */
const HINT_FORMATS = new Set(['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Request schemas per operation in the shape of a Fastify route schema
 * (`body`, `querystring`, `params`, `headers`), `$ref`s inlined, annotations stripped.
 */
export function renderValidation(doc: OpenApiDocument, header: string): string {
  const operationSchemas: Record<string, Record<string, Json>> = {};
  for (const { key, operation } of listOperations(doc)) {
    const route: Record<string, Json> = {};
    const parameters = operation.parameters ?? [];
    for (const [location, routeKey] of [['path', 'params'], ['query', 'querystring'], ['header', 'headers']] as const) {
      const schema = parameterObjectSchema(doc, parameters.filter((p) => p.in === location), location === 'header');
      if (schema) route[routeKey] = schema;
    }
    const body = resolveRef(doc, operation.requestBody) as { content?: Record<string, { schema?: unknown }> } | undefined;
    const content = body?.content;
    const media = content ? (content['application/json'] ?? Object.values(content)[0]) : undefined;
    if (media?.schema !== undefined) route.body = clean(doc, media.schema);
    operationSchemas[key] = route;
  }
  const componentSchemas: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) componentSchemas[name] = clean(doc, schema);
  return [
    `// ${header}`,
    '',
    '/** Request schemas per operation, keyed `"METHOD /path/template"`, shaped as Fastify route schemas. */',
    `export const operationSchemas = ${JSON.stringify(operationSchemas, null, 2)} as const;`,
    '',
    '/** Every component schema with `$ref`s inlined and annotations stripped. */',
    `export const componentSchemas = ${JSON.stringify(componentSchemas, null, 2)} as const;`,
    '',
  ].join('\n');
}

function parameterObjectSchema(doc: OpenApiDocument, parameters: ParameterObject[], lowerCase: boolean): Json | undefined {
  if (parameters.length === 0) return undefined;
  const properties: Record<string, Json> = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    const name = lowerCase ? parameter.name.toLowerCase() : parameter.name;
    properties[name] = clean(doc, parameter.schema ?? {});
    if (parameter.required) required.push(name);
  }
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}

function clean(doc: OpenApiDocument, schema: unknown): Json {
  const resolved = resolveRef(doc, schema);
  if (Array.isArray(resolved)) return resolved.map((item) => clean(doc, item));
  if (!resolved || typeof resolved !== 'object') return resolved as Json;
  const result: Record<string, Json> = {};
  for (const [keyword, value] of Object.entries(resolved)) {
    if (DROPPED_KEYWORDS.has(keyword)) continue;
    if (keyword === 'format' && typeof value === 'string' && HINT_FORMATS.has(value)) continue;
    if (keyword === 'properties' && value && typeof value === 'object') {
      result.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, clean(doc, sub)]));
      continue;
    }
    result[keyword] = clean(doc, value);
  }
  return result;
}
