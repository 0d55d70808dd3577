import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GenerateError } from '../../generate/errors';
import { pathOf } from '../admin/request-log';
import type { Json } from './json-schema';
import type { ServedOperation, ServedSpec } from './operations';
import { requestSchemaOf } from './request-schema';
import { answerFor, NotServable, parsePrefer, type MockAnswer } from './respond';
import type { ResourceStore } from './resource-store';
import { serveOperations } from '../operations/serve';
import { specAuthRules, type SecurityContext } from './security';
import { applyState, planState, type StatePlan } from './stateful';

/** What each spec route carries in its Fastify config, for the hooks. */
export interface SpecRouteConfig {
  operation: ServedOperation;
  /** The names a fault may give the operation by: its `operationId` and its `"METHOD /template"`. */
  names: readonly string[];
}

/** What {@link registerSpecRoutes} needs. */
export interface SpecRoutesOptions {
  specs: readonly ServedSpec[];
  seed: number;
  security: SecurityContext;
  /** The `--stateful` store; without it every operation answers its mock answer. */
  store?: ResourceStore;
}

/**
 * Routes every operation of every spec through the common machinery (operations/serve.ts): each
 * spec is one plugin whose handlers answer with its examples or generated data (and `--stateful`
 * state), and whose auth rules are the spec's own security schemes, checked on request before
 * anything is parsed.
 *
 * @throws {GenerateError} (spec-invalid) naming the file and the operation the router cannot take.
 */
export function registerSpecRoutes(app: FastifyInstance, options: SpecRoutesOptions): void {
  const { seed, store } = options;
  const operations = options.specs.flatMap((spec) => spec.operations);
  const plans = store ? planState(operations) : new Map<ServedOperation, StatePlan>();

  for (const spec of options.specs) {
    try {
      serveOperations(app, {
        source: { name: spec.file, operations: spec.operations },
        rules: specAuthRules(spec.securitySchemes, options.security),
        routeExtras: (operation) => ({
          schema: requestSchemaOf(operation),
          config: { operation, names: [...new Set([operation.name, operation.key])] } satisfies SpecRouteConfig,
        }),
        handlerFor: (operation) => mockHandler(operation, seed, plans.get(operation), store),
      });
    } catch (error) {
      throw new GenerateError('spec-invalid', error instanceof Error ? error.message : String(error), { cause: error });
    }
  }
}

function mockHandler(operation: ServedOperation, seed: number, plan: StatePlan | undefined, store: ResourceStore | undefined) {
  const plain = cachedAnswer(operation, seed);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const preference = request.headers.prefer === undefined ? undefined : parsePrefer(request.headers.prefer);
    let answer: MockAnswer;
    try {
      answer = preference === undefined ? plain() : answerFor(operation, preference, seed);
    } catch (error) {
      if (error instanceof NotServable && error.byPreference) return reply.code(400).send({ code: 400, message: error.message, field: 'header.prefer' });
      // The spec cannot answer this operation; the server says which and keeps running.
      const message = error instanceof NotServable ? error.message : `cannot make an answer for ${operation.name}: ${error instanceof Error ? error.message : String(error)}`;
      return reply.code(501).send({ code: 501, message });
    }
    if (plan !== undefined && store !== undefined && answer.status < 300) {
      answer = applyState(plan, store, stateRequest(operation, request), answer);
    }
    return send(reply, answer);
  };
}

/** The answer without a `Prefer` header, made once (it is the same every time for a seed). */
function cachedAnswer(operation: ServedOperation, seed: number): () => MockAnswer {
  let cached: MockAnswer | undefined;
  return () => {
    cached ??= answerFor(operation, {}, seed);
    return cached;
  };
}

function stateRequest(operation: ServedOperation, request: FastifyRequest) {
  const params = request.params as Record<string, string>;
  const names = Object.keys(params);
  const last = /\{([^}/]+)\}$/.exec(operation.template)?.[1];
  const fastifyName = last === undefined ? undefined : (Object.entries(operation.paramNames).find(([, name]) => name === last)?.[0] ?? last);
  return {
    path: pathOf(request.url),
    ...(fastifyName !== undefined && names.includes(fastifyName) ? { id: String(params[fastifyName]) } : {}),
    query: (request.query ?? {}) as Record<string, unknown>,
    body: request.body,
  };
}

function send(reply: FastifyReply, answer: MockAnswer): FastifyReply {
  reply.code(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
  if (answer.body === undefined || answer.status === 204 || answer.status === 304) return reply.send();
  const type = answer.contentType ?? 'application/json';
  reply.type(type);
  return reply.send(typeof answer.body === 'string' && !/json/i.test(type) ? answer.body : serialize(answer.body));
}

const serialized = new WeakMap<object, string>();

function serialize(body: Json): string {
  if (typeof body !== 'object' || body === null) return JSON.stringify(body);
  let text = serialized.get(body);
  if (text === undefined) {
    text = JSON.stringify(body);
    serialized.set(body, text);
  }
  return text;
}
