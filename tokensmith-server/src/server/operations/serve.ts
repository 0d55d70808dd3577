import type { FastifyInstance, RouteHandlerMethod, RouteOptions } from 'fastify';
import { attachCheck, compileSecurity, type AuthRules } from './security';
import type { OperationRecord, OperationSource } from './source';

/**
 * What a provider adds to the common routing: its handlers, its auth rules, and whatever else its
 * routes need. Ably's token rules and signing, Metquay's `/authenticate` and the mock answers of
 * `serve --spec` are each one.
 */
export interface OperationPlugin<Operation extends OperationRecord = OperationRecord, Refusal = unknown> {
  /** The operations to route. */
  source: OperationSource<Operation>;
  /** The handler of an operation; undefined refuses to start, naming it. */
  handlerFor(operation: Operation): RouteHandlerMethod | undefined;
  /** How each security scheme of the source is checked; without rules, operations that need credentials refuse to start. */
  rules?: AuthRules<Refusal>;
  /** Route options beyond method, URL, schema, security and handler: a body limit, a hook, a `config` for the plugin's hooks. */
  routeExtras?(operation: Operation): RouteExtras;
}

/** What {@link OperationPlugin.routeExtras} may add to a route; `config` is the plugin's own shape. */
export type RouteExtras = Omit<Partial<RouteOptions>, 'config'> & { config?: object };

/**
 * Routes every operation of a plugin's source on `app`: method and URL from the source, the
 * request schema, the handler, and the operation's security compiled once against the plugin's
 * rules into the route's own hook (none for open operations): nothing is looked up per request.
 *
 * @throws {Error} naming the operation when it has no handler, needs credentials the rules
 * cannot check, or has a route Fastify cannot take.
 */
export function serveOperations<Operation extends OperationRecord, Refusal>(app: FastifyInstance, plugin: OperationPlugin<Operation, Refusal>): void {
  for (const operation of plugin.source.operations) {
    const handler = plugin.handlerFor(operation);
    const where = `${plugin.source.name}: ${operation.key}`;
    if (handler === undefined) throw new Error(`${where} has no handler`);
    const { config, ...extras } = plugin.routeExtras?.(operation) ?? {};
    const route: RouteOptions = {
      ...extras,
      method: operation.method as RouteOptions['method'],
      url: operation.route,
      ...(operation.schema === undefined ? {} : { schema: operation.schema }),
      // The plugin's own shape, for its own hooks (Fastify's config type knows only its fields).
      ...(config === undefined ? {} : { config: config as RouteOptions['config'] }),
      handler,
    };
    if (plugin.rules === undefined) refuseUnlessOpen(operation, where);
    else {
      const check = compileSecurity(operation.security, plugin.rules, where);
      if (check !== undefined) attachCheck(route, check, plugin.rules.phase);
    }
    try {
      app.route(route);
    } catch (error) {
      throw new Error(`${where} cannot be routed (${firstLine(error)})`, { cause: error });
    }
  }
}

/** The first line of an error's message, at most 300 characters. */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
}

function refuseUnlessOpen(operation: OperationRecord, where: string): void {
  const open = operation.security.length === 0 || operation.security.some((requirement) => Object.keys(requirement ?? {}).length === 0);
  if (!open) throw new Error(`${where} needs credentials and its plugin has no auth rules`);
}
