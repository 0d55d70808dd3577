import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Request validation for the generated route schemas. Bodies are checked strictly: JSON and
 * msgpack already carry types, so `"ttl": "60"` or `"clientId": 7` is a 400 rather than being
 * coerced as Fastify's default would. Query strings, path parameters and headers are text, so
 * they keep Fastify's coercion (`?limit=10` is the integer 10). Neither strips unknown properties.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = addFormats(new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: false }));
  const coercing = addFormats(new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false }));
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}
