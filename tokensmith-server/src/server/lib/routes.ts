import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { OperationRecord } from '../operations/source';

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

/**
 * A handler of one generated operation: request typed from the operation. Async, or synchronous
 * when it has sent its answer before returning (nothing returned).
 */
export type OperationHandler<Op> = (request: FastifyRequest<RouteOf<Op>>, reply: FastifyReply) => Promise<FastifyReply> | void;

/** A handler for every operation of a generated `paths` type, by key, each typed from its operation. */
export type OperationHandlers<Paths> = { [K in OperationKey<Paths>]: OperationHandler<OperationAt<Paths, K>> };

/**
 * The `handlerFor` of an {@link OperationPlugin} from a complete map of typed handlers: the map's
 * type makes a missing operation, or a handler reading a field the spec does not give, a compile error.
 *
 * @example
 * ```ts fragment
 * const handlerFor = operationHandlers<AblyPaths>({
 *   'GET /channels/{channelId}': async (request, reply) => reply.send(request.params.channelId),
 *   // … every other operation of the spec
 * });
 * ```
 */
export function operationHandlers<Paths>(handlers: OperationHandlers<Paths>): (operation: OperationRecord) => RouteHandlerMethod | undefined {
  const byKey = handlers as unknown as Readonly<Record<string, RouteHandlerMethod | undefined>>;
  return (operation) => byKey[operation.key];
}
