import type { FastifyInstance, preValidationHookHandler } from 'fastify';

/**
 * The server runs Fastify's validator with type coercion off, so bodies are checked strictly:
 * JSON and msgpack already carry types, and `"ttl": "60"` or `"clientId": 7` is a 400, not a
 * silent conversion. Query strings are text, though, so a `preValidation` hook on each such route turns
 * the query values a route's schema types as integer, number or boolean into those types first
 * (`?limit=10` becomes 10; `?limit=ten` stays a string and fails validation).
 */
export function installQueryCoercion(app: FastifyInstance): void {
  // Added per route, to the routes whose schema types a query value: the others (the token
  // endpoint among them) pay nothing, and the schema is read once rather than on every request.
  app.addHook('onRoute', (route) => {
    const schema = route.schema?.querystring as { properties?: Record<string, { type?: unknown }> } | undefined;
    const typed = Object.entries(schema?.properties ?? {}).filter(([, property]) => property.type !== undefined && property.type !== 'string');
    if (typed.length === 0) return;
    const coerceQuery: preValidationHookHandler = (request, _reply, done) => {
      const query = request.query as Record<string, unknown>;
      for (const [name, property] of typed) {
        const value = query[name];
        if (typeof value !== 'string') continue;
        const coerced = coerce(value, property.type);
        if (coerced !== undefined) query[name] = coerced;
      }
      done();
    };
    const existing = route.preValidation;
    route.preValidation = existing === undefined ? [coerceQuery] : [coerceQuery, ...(Array.isArray(existing) ? existing : [existing])];
  });
}

const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function coerce(value: string, type: unknown): number | boolean | undefined {
  const types = Array.isArray(type) ? type : [type];
  if ((types.includes('integer') || types.includes('number')) && NUMERIC.test(value)) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return undefined;
}
