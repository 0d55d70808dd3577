import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { OPTIONAL_BODY } from './request-schema';

/**
 * Validators for spec routes. Query, path and header values are text, so they are coerced to the
 * types the spec gives (`?limit=10` is 10, a single `?tag=a` fills an array); JSON bodies already
 * carry types and are checked strictly. An optional request body may be absent.
 */
export function installSpecValidators(app: FastifyInstance): void {
  const base = { strict: false, allErrors: false, validateSchema: false } as const;
  const text = new Ajv({ ...base, coerceTypes: 'array' });
  const json = new Ajv({ ...base, coerceTypes: false });
  addFormats(text);
  addFormats(json);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart !== 'body') return text.compile(schema);
    const validate: ValidateFunction = json.compile(schema);
    if ((schema as Record<string, unknown>)[OPTIONAL_BODY] !== true) return validate;
    return (data: unknown) => data === undefined || data === null || data === '' || validate(data);
  });
}
