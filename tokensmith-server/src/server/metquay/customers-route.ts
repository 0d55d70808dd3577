import type { FastifyInstance } from 'fastify';
import { metquaySecurity, type MetquayOperations } from 'tokensmith';
import { CUSTOMER_PAGING, pageOf } from './customers';
import { sendMetquayError } from './envelope';
import type { MetquayServerState } from './state';

/** The route's types, from the spec's `listCustomers` operation. */
interface CustomersRoute {
  Querystring: NonNullable<MetquayOperations['listCustomers']['parameters']['query']>;
  Reply: MetquayOperations['listCustomers']['responses'][200]['content']['application/json'];
}

/** `GET /customers?first&limit`: a page of the fixed customer list; the Metquay auth rules guard it (bearer). */
export function registerCustomersRoute(app: FastifyInstance, state: MetquayServerState, querySchema?: object): void {
  app.get<CustomersRoute>(
    '/customers',
    {
      config: { securityRequirements: metquaySecurity.operationSecurity['GET /customers'] },
      ...(querySchema ? { schema: { querystring: querySchema } } : {}),
    },
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

function integerParam(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  const parsed = typeof value === 'number' ? value : /^-?\d{1,15}$/.test(String(value)) ? Number(value) : NaN;
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}
