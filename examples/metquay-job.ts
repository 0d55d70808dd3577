/**
 * A Metquay job: lists every customer page by page and prints how many joined each month. The
 * client authenticates with the key pair on the first call, reuses the token for every page,
 * re-authenticates once on a 401 and waits out a 429's Retry-After, without any code here.
 *
 * Run it against the local demo server (the keys below are the demo's public ones):
 *
 *   npx tokensmith serve --port 8080     # terminal 1 (or: npm run serve)
 *   METQUAY_BASE_URL=http://127.0.0.1:8080/api/v1 METQUAY_ACCESS_KEY=demo-access-key \
 *   METQUAY_SECRET_KEY=demo-secret-key-public-do-not-use-in-production npx tsx examples/metquay-job.ts
 *
 * Env: METQUAY_BASE_URL, METQUAY_ACCESS_KEY, METQUAY_SECRET_KEY (all required), PAGE_SIZE
 * (default 50).
 */
import { TokensmithError } from '../src/index-node'; // in your app: from 'tokensmith' (Node picks this entry)
import { createMetquayClient } from '../src/client/index-node'; // in your app: from 'tokensmith/client'

/** What one run found. */
export interface JobResult {
  /** Customers listed. */
  customers: number;
  /** Customers per month of `createdAt` (`YYYY-MM`). */
  byMonth: Record<string, number>;
}

/** Walks `/customers` with `paginate` and counts customers per month joined. */
export async function main(env: Record<string, string | undefined> = process.env, log = console.log): Promise<JobResult> {
  // Keys and base URL come from METQUAY_* in `env`; a missing one is a typed error naming it.
  const mq = createMetquayClient({ env });
  const limit = Number(env.PAGE_SIZE ?? 50);

  const byMonth: Record<string, number> = {};
  let customers = 0;
  for await (const customer of mq.paginate('/customers', { limit })) {
    const month = customer.createdAt?.slice(0, 7) ?? 'unknown';
    byMonth[month] = (byMonth[month] ?? 0) + 1;
    customers += 1;
  }

  log(`${customers} customers (pages of ${limit})`);
  for (const [month, count] of Object.entries(byMonth).sort()) log(`  ${month}: ${count}`);
  return { customers, byMonth };
}

if (process.argv[1]?.endsWith('metquay-job.ts')) {
  main().catch((error: unknown) => {
    const code = error instanceof TokensmithError ? ` (code ${error.code})` : '';
    console.error(`metquay-job: ${error instanceof Error ? error.message : String(error)}${code}`);
    process.exitCode = 1;
  });
}
