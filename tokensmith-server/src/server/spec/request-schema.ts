import type { FastifySchema } from 'fastify';
import type { ParameterObject } from '../../generate/operations';
import { resolveRef } from '../../generate/refs';
import { toJsonSchema, type Json } from './json-schema';
import type { ServedOperation } from './operations';

/** Header parameters OpenAPI says to ignore: the transport and the auth own them. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** Marks a body schema whose request body is optional (Ajv, not strict, ignores the keyword). */
export const OPTIONAL_BODY = 'x-tokensmith-optional';

/** Media types whose bodies are JSON (and so validated against the spec's schema). */
export function isJsonMedia(type: string): boolean {
  const base = type.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json');
}

/**
 * The Fastify route schema of an operation: its path, query and header parameters and its JSON
 * request body, as JSON Schema. Cookie parameters and non-JSON bodies are not validated.
 */
export function requestSchemaOf(operation: ServedOperation): FastifySchema {
  const { doc, parameters } = operation;
  const schema: FastifySchema = {};
  const toFastify = Object.fromEntries(Object.entries(operation.paramNames).map(([safe, name]) => [name, safe]));
  const byLocation = (location: ParameterObject['in']) => parameters.filter((p) => p.in === location);
  const params = objectOf(doc, byLocation('path'), (name) => toFastify[name] ?? name, true);
  if (params) schema.params = params;
  const query = objectOf(doc, byLocation('query'), (name) => name, false);
  if (query) schema.querystring = query;
  const headers = objectOf(doc, byLocation('header').filter((p) => !IGNORED_HEADERS.has(p.name.toLowerCase())), (name) => name.toLowerCase(), false);
  if (headers) schema.headers = headers;
  const body = resolveRef(doc, operation.operation.requestBody) as { required?: boolean; content?: Record<string, { schema?: unknown }> } | undefined;
  const jsonMedia = Object.entries(body?.content ?? {}).find(([type]) => isJsonMedia(type));
  if (jsonMedia?.[1].schema !== undefined) {
    const bodySchema = toJsonSchema(doc, jsonMedia[1].schema) as Record<string, Json>;
    schema.body = body?.required ? bodySchema : { ...bodySchema, [OPTIONAL_BODY]: true };
  }
  return schema;
}

function objectOf(doc: ServedOperation['doc'], parameters: ParameterObject[], nameOf: (name: string) => string, allRequired: boolean): Json | undefined {
  if (parameters.length === 0) return undefined;
  const properties: Record<string, Json> = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    const name = nameOf(parameter.name);
    properties[name] = toJsonSchema(doc, parameter.schema ?? {});
    if (parameter.required || allRequired) required.push(name);
  }
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}
