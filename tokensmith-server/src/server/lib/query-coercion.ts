import type { FastifyInstance } from 'fastify';

/**
 * The server runs Fastify's validator with type coercion off, so bodies are checked strictly:
 * JSON and msgpack already carry types, and `"ttl": "60"` or `"clientId": 7` is a 400, not a
 * silent conversion. Query strings are text, though, so this global `preValidation` hook turns
 * the query values a route's schema types as integer, number or boolean into those types first
 * (`?limit=10` becomes 10; `?limit=ten` stays a string and fails validation).
 */
export function installQueryCoercion(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema?.querystring as { properties?: Record<string, { type?: unknown }> } | undefined;
    const properties = schema?.properties;
    if (!properties) return;
    const query = request.query as Record<string, unknown>;
    for (const [name, property] of Object.entries(properties)) {
      const value = query[name];
      if (typeof value !== 'string') continue;
      const coerced = coerce(value, property.type);
      if (coerced !== undefined) query[name] = coerced;
    }
  });
}

const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function coerce(value: string, type: unknown): number | boolean | undefined {
  const types = Array.isArray(type) ? type : [type];
  if ((types.includes('integer') || types.includes('number')) && NUMERIC.test(value)) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return undefined;
}
