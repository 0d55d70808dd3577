import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from 'fastify';

import type { SecurityRequirements as SecurityAlternatives } from '../operations/security';

type Method = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** Every operation of a generated `paths` type, keyed as the specs key them: `"POST /keys/{keyName}/requestToken"`. */
export type OperationKey<Paths> = {
  [P in keyof Paths & string]: {
    [M in Method & keyof Paths[P]]: [NonNullable<Paths[P][M]>] extends [never] ? never : `${Uppercase<M>} ${P}`;
  }[Method & keyof Paths[P]];
}[keyof Paths & string];

/** The generated operation a key names. */
export type OperationAt<Paths, K extends string> = K extends `${infer M} ${infer P}`
  ? P extends keyof Paths
    ? Lowercase<M> extends keyof Paths[P]
      ? NonNullable<Paths[P][Lowercase<M>]>
      : never
    : never
  : never;

// The JSON body an operation takes (its msgpack body decodes to the same shape).
type JsonBody<Op> = Op extends { requestBody?: infer B }
  ? [NonNullable<B>] extends [never]
    ? undefined
    : NonNullable<B> extends { content: { 'application/json': infer T } }
      ? T
      : undefined
  : undefined;

type Parameters<Op, Where extends string> = Op extends { parameters: infer Ps }
  ? Where extends keyof Ps
    ? [NonNullable<Ps[Where]>] extends [never]
      ? Record<string, never>
      : NonNullable<Ps[Where]>
    : Record<string, never>
  : Record<string, never>;

/**
 * What Fastify's route generics are for a generated operation: its path params, query and JSON
 * body, as the generated route schema validates (and coerces) them before the handler runs.
 */
export interface RouteOf<Op> {
  Params: Parameters<Op, 'path'>;
  Querystring: Parameters<Op, 'query'>;
  Body: JsonBody<Op>;
}

/** A handler of one generated operation: request typed from the operation. */
export type OperationHandler<Op> = (request: FastifyRequest<RouteOf<Op>>, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * Registers handlers for a spec's operations, each by its key (`"POST /keys/{keyName}/requestToken"`)
 * with the operation's generated route schema, and its requirements from the generated security
 * map in the route's `config.securityRequirements` (an auth hook reads them); the `{param}`
 * template becomes Fastify's `:param`. The request a handler gets is typed from the spec's generated `paths`.
 *
 * @example
 * ```ts fragment
 * const route = specRoutes<AblyPaths>(app, ablyOperationSchemas, ablySecurity.operationSecurity);
 * route('GET /channels/{channelId}', async (request, reply) => reply.send(request.params.channelId));
 * ```
 */
export function specRoutes<Paths>(
  app: FastifyInstance,
  schemas: Readonly<Record<string, unknown>>,
  security: Readonly<Record<string, SecurityAlternatives>>,
) {
  return function route<K extends OperationKey<Paths>>(operation: K, handler: OperationHandler<OperationAt<Paths, K>>): void {
    const space = operation.indexOf(' ');
    const method = operation.slice(0, space) as HTTPMethods;
    const url = operation.slice(space + 1).replace(/\{([^}]+)\}/g, ':$1');
    const schema = schemas[operation] as FastifySchema | undefined;
    const requirements = security[operation];
    if (!schema || !requirements) throw new Error(`no generated schema or security for ${operation}`);
    app.route<RouteOf<OperationAt<Paths, K>>>({ method, url, schema, handler, config: { securityRequirements: requirements } });
  };
}
