/**
 * Demo steps 9–11: Metquay-style auth — authenticate, reuse of the cached token, and one
 * `/authenticate` for many concurrent calls on a cold cache.
 */
import { createMetquayClient, type MetquayClient } from '../../src/client';
import { DEMO_CREDENTIALS } from '../../tokensmith-server/src/server';
import { countOf, type DemoStep } from './context';
import { check, mask } from './format';

const AUTHENTICATE = 'POST /api/v1/authenticate 200';
const CONCURRENT_CALLS = 100;

function client(metquayUrl: string): MetquayClient {
  return createMetquayClient({
    baseUrl: metquayUrl,
    accessKey: DEMO_CREDENTIALS.metquayAccessKey,
    secretKey: DEMO_CREDENTIALS.metquaySecretKey,
  });
}

/** Steps 9–11; 9 and 10 share one client, 11 starts a cold one. */
export function metquaySteps(): readonly DemoStep[] {
  let mq: MetquayClient | undefined;

  const authenticate: DemoStep = {
    title: 'Metquay authenticate',
    async run({ metquayUrl, requests }) {
      mq = client(metquayUrl);
      const answer = await mq.auth.authenticate();
      check(answer.tokenType === 'bearer', `tokenType was ${answer.tokenType}, expected bearer`);
      check(countOf(await requests(), AUTHENTICATE) === 1, 'expected one /authenticate');
      return [
        `POST /api/v1/authenticate { accessKey: ${DEMO_CREDENTIALS.metquayAccessKey}, secretKey } -> 200`,
        `tokenType ${answer.tokenType}, expiresIn ${answer.expiresIn} s, accessToken ${mask(answer.accessToken)} (a JWT; sent as Bearer <token>)`,
      ];
    },
  };

  const cachedReuse: DemoStep = {
    title: 'Metquay cached reuse',
    async run({ requests }) {
      check(mq, 'step "Metquay authenticate" must run first');
      const first = await mq.GET('/customers', { params: { query: { limit: 5 } } });
      check(first.response.status === 200 && first.data?.length === 5, `GET /customers answered ${first.response.status}, expected 5 customers`);
      let customers = 0;
      for await (const _customer of mq.paginate('/customers', { limit: 50 })) customers += 1;
      const log = await requests();
      const pages = countOf(log, 'GET /api/v1/customers 200') - 1;
      check(countOf(log, '/authenticate') === 0, `the cached token should be reused; saw ${countOf(log, '/authenticate')} /authenticate calls`);
      return [
        `GET /customers?limit=5 -> 200, first customer ${first.data[0]?.id} (${first.data[0]?.name})`,
        `paginate('/customers', { limit: 50 }) -> ${customers} customers in ${pages} pages`,
        `/authenticate calls in this step: 0 (token cached until shortly before it expires)`,
      ];
    },
  };

  const concurrent: DemoStep = {
    title: `Metquay: ${CONCURRENT_CALLS} concurrent calls on a cold client, one /authenticate`,
    async run({ metquayUrl, requests }) {
      const cold = client(metquayUrl);
      const results = await Promise.all(Array.from({ length: CONCURRENT_CALLS }, () => cold.GET('/customers', { params: { query: { limit: 1 } } })));
      const ok = results.filter((result) => result.response.status === 200).length;
      check(ok === CONCURRENT_CALLS, `${CONCURRENT_CALLS - ok} of ${CONCURRENT_CALLS} calls failed`);
      const log = await requests();
      const authenticates = countOf(log, '/authenticate');
      check(authenticates === 1, `expected 1 /authenticate for ${CONCURRENT_CALLS} concurrent calls, saw ${authenticates}`);
      return [
        `${CONCURRENT_CALLS} × GET /customers started together -> ${ok} × 200`,
        `server request log: ${authenticates} POST /api/v1/authenticate, ${countOf(log, 'GET /api/v1/customers')} GET /api/v1/customers`,
      ];
    },
  };

  return [authenticate, cachedReuse, concurrent];
}
