import type { MetquayOperations } from 'tokensmith';
import type { OperationHandler } from '../lib/routes';
import { CUSTOMER_PAGING, pageOf } from './customers';
import { sendMetquayError } from './envelope';
import type { MetquayServerState } from './state';

type CustomersReply = MetquayOperations['listCustomers']['responses'][200]['content']['application/json'];

/** `GET /customers?first&limit`: a page of the fixed customer list (the Metquay auth rules admitted the bearer). */
export function customersHandler(state: MetquayServerState): OperationHandler<MetquayOperations['listCustomers']> {
  return async (request, reply) => {
    const first = integerParam(request.query.first, CUSTOMER_PAGING.defaultFirst);
    const limit = integerParam(request.query.limit, CUSTOMER_PAGING.defaultLimit);
    if (first === undefined || first < 0) return sendMetquayError(reply, 400, 'querystring.first must be an integer >= 0');
    if (limit === undefined || limit < 1 || limit > CUSTOMER_PAGING.maxLimit) {
      return sendMetquayError(reply, 400, `querystring.limit must be an integer from 1 to ${CUSTOMER_PAGING.maxLimit}`);
    }
    return reply.send(pageOf(state.customers, first, limit) satisfies CustomersReply);
  };
}

function integerParam(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  const parsed = typeof value === 'number' ? value : /^-?\d{1,15}$/.test(String(value)) ? Number(value) : NaN;
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}
