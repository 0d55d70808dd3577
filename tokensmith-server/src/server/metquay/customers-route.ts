import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MetquayOperations } from 'tokensmith';
import { CUSTOMER_PAGING, pageOf } from './customers';
import { sendMetquayError } from './envelope';
import type { MetquayServerState } from './state';
import type { TokenRejection } from './tokens';

const REJECTION_MESSAGES: Record<TokenRejection, string> = {
  missing: 'missing bearer token',
  malformed: 'access token is malformed',
  invalid: 'access token is invalid',
  expired: 'access token has expired',
  revoked: 'access token has been revoked',
};

/**
 * An onRequest hook for protected routes (so auth answers before query validation): a valid, unexpired, unrevoked bearer JWT, then one unit of
 * the subject's per-minute budget.
 */
export function requireBearer(state: MetquayServerState) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const token = bearerToken(request.headers.authorization);
    const check = token === undefined ? ({ ok: false, reason: 'missing' } as const) : await state.tokens.verify(token);
    if (!check.ok) {
      reply.header('www-authenticate', `Bearer error="invalid_token"`);
      return sendMetquayError(reply, 401, REJECTION_MESSAGES[check.reason]);
    }
    const decision = state.clientLimiter.take(`sub:${check.subject}`, state.clock.now());
    if (!decision.allowed) {
      reply.header('retry-after', String(decision.retryAfterSeconds));
      return sendMetquayError(reply, 429, `rate limit of ${state.config.rateLimitPerMinute} requests per minute exceeded`);
    }
    return undefined;
  };
}

/** The route's types, from the spec's `listCustomers` operation. */
interface CustomersRoute {
  Querystring: NonNullable<MetquayOperations['listCustomers']['parameters']['query']>;
  Reply: MetquayOperations['listCustomers']['responses'][200]['content']['application/json'];
}

/** `GET /customers?first&limit`: a page of the fixed customer list. */
export function registerCustomersRoute(app: FastifyInstance, state: MetquayServerState, querySchema?: object): void {
  app.get<CustomersRoute>(
    '/customers',
    { onRequest: requireBearer(state), ...(querySchema ? { schema: { querystring: querySchema } } : {}) },
    async (request, reply) => {
      const first = integerParam(request.query.first, CUSTOMER_PAGING.defaultFirst);
      const limit = integerParam(request.query.limit, CUSTOMER_PAGING.defaultLimit);
      if (first === undefined || first < 0) return sendMetquayError(reply, 400, 'querystring.first must be an integer >= 0');
      if (limit === undefined || limit < 1 || limit > CUSTOMER_PAGING.maxLimit) {
        return sendMetquayError(reply, 400, `querystring.limit must be an integer from 1 to ${CUSTOMER_PAGING.maxLimit}`);
      }
      return reply.send(pageOf(state.customers, first, limit));
    },
  );
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

function integerParam(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  const parsed = typeof value === 'number' ? value : /^-?\d{1,15}$/.test(String(value)) ? Number(value) : NaN;
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}
