import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Request validation for the generated route schemas. Bodies are checked strictly: JSON and
 * msgpack already carry types, so `"ttl": "60"` or `"clientId": 7` is a 400 rather than being
 * coerced as Fastify's default would. Query strings, path parameters and headers are text, so
 * they keep Fastify's coercion (`?limit=10` is the integer 10). Neither strips unknown properties.
 *
 * Compiled validators are cached per schema object and shared by every server in the process, so
 * a test suite starting many servers compiles each route schema once.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  return ({ schema, httpPart }) => compile(schema as object, httpPart === 'body' ? 'strict' : 'coercing');
}

type Mode = 'strict' | 'coercing';

let instances: Record<Mode, Ajv> | undefined;
const cache: Record<Mode, WeakMap<object, ValidateFunction>> = { strict: new WeakMap(), coercing: new WeakMap() };

function compile(schema: object, mode: Mode): ValidateFunction {
  const cached = cache[mode].get(schema);
  if (cached) return cached;
  instances ??= {
    strict: addFormats(new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: false })),
    coercing: addFormats(new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false })),
  };
  const validate = instances[mode].compile(schema);
  cache[mode].set(schema, validate);
  return validate;
}
