import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from 'fastify';

/**
 * Registers `handler` for a spec operation key (`"POST /keys/{keyName}/requestToken"`), with the
 * operation's generated route schema. The `{param}` template becomes Fastify's `:param`.
 */
export function routeFor(
  app: FastifyInstance,
  operation: string,
  schemas: Readonly<Record<string, unknown>>,
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>,
): void {
  const space = operation.indexOf(' ');
  const method = operation.slice(0, space) as HTTPMethods;
  const url = operation.slice(space + 1).replace(/\{([^}]+)\}/g, ':$1');
  const schema = schemas[operation] as FastifySchema | undefined;
  if (!schema) throw new Error(`no generated schema for ${operation}`);
  app.route({ method, url, schema, handler });
}
