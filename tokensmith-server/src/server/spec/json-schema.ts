import type { OpenApiDocument } from '../../generate/document';
import { resolveRef } from '../../generate/refs';

/** A JSON value as schemas and examples hold them. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keywords that document rather than validate, or that Ajv (draft-07) does not know. */
const DROPPED = new Set([
  'example', 'examples', 'description', 'summary', 'title', 'externalDocs', 'xml', 'discriminator', 'deprecated',
  'readOnly', 'writeOnly', '$schema', '$id', '$comment', 'contentMediaType', 'contentEncoding',
]);
/** Formats Ajv's format plugin checks; any other format is a hint and is dropped. */
const CHECKED_FORMATS = new Set(['date', 'time', 'date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'uuid', 'regex']);
/** Past this depth a recursive schema validates anything. */
const MAX_DEPTH = 24;

/**
 * An OpenAPI 3.0/3.1 schema as a draft-07 JSON Schema for Ajv: `$ref`s inlined (a recursive one
 * stops at `{}`), annotations and hint formats dropped, 3.0's boolean `exclusiveMinimum`/`Maximum`
 * turned into numbers.
 */
export function toJsonSchema(doc: OpenApiDocument, schema: unknown, depth = 0, stack: readonly unknown[] = []): Json {
  if (depth > MAX_DEPTH) return {};
  const resolved = resolveRef(doc, schema);
  if (stack.includes(resolved)) return {};
  if (Array.isArray(resolved)) return resolved.map((item) => toJsonSchema(doc, item, depth + 1, stack));
  if (!resolved || typeof resolved !== 'object') return resolved as Json;
  const inner = [...stack, resolved];
  const source = resolved as Record<string, unknown>;
  const result: Record<string, Json> = {};
  for (const [keyword, value] of Object.entries(source)) {
    if (DROPPED.has(keyword) || keyword.startsWith('x-')) continue;
    if (keyword === 'format' && !(typeof value === 'string' && CHECKED_FORMATS.has(value))) continue;
    if ((keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum') && typeof value === 'boolean') continue;
    if ((keyword === 'properties' || keyword === 'patternProperties' || keyword === 'definitions' || keyword === '$defs') && value && typeof value === 'object') {
      result[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(doc, sub, depth + 1, inner)]));
      continue;
    }
    if (keyword === 'enum' || keyword === 'const' || keyword === 'default' || keyword === 'required') {
      result[keyword] = value as Json;
      continue;
    }
    result[keyword] = toJsonSchema(doc, value, depth + 1, inner);
  }
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (source[flag] === true && typeof source[bound] === 'number') {
      result[flag] = source[bound] as number;
      delete result[bound];
    }
  }
  // 3.0's `nullable` needs a type beside it for Ajv; without one it says nothing.
  if (result.nullable !== undefined && result.type === undefined) delete result.nullable;
  return result;
}
