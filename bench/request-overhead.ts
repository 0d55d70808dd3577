import type { Middleware } from 'openapi-fetch';
import { createAblyApi } from '../src/ably/api';
import { ABLY_PROTOCOL_VERSION } from '../src/ably/http';
import { isMain, progress, reportResult } from './lib/child';
import { alternateBatches } from './lib/alternate';
import { optionalExport } from './lib/optional';
import { startServerProcess } from './lib/server-process';
import { formatNs, formatRatio, median, percentile, round } from './lib/stats';
import { notMeasured, type BenchResult } from './lib/types';

/**
 * Authorized request overhead: the same openapi-fetch GET against the local server (in its own
 * process), once through the auth middleware with a warm token and once with that same
 * Authorization header set statically, in alternating batches.
 */

const PAIRS = Number(process.env.BENCH_OVERHEAD_PAIRS ?? 3_000);
const DEMO_KEY = 'demoApp.demoKey:demoKeySecret-public-do-not-use-in-production';

type AblyAuthClass = new (options: Record<string, unknown>) => { middleware: Middleware; tokenDetails: { token: string } | null };

export async function run(): Promise<BenchResult> {
  const measure = 'authorized GET, with/without middleware';
  const AblyAuth = await optionalExport<AblyAuthClass>('../src/index-node.ts', 'AblyAuth', import.meta.url);
  if (!AblyAuth.ok) return { bench: 'request-overhead', rows: [notMeasured(measure, AblyAuth.why, '<= 1.05')], figures: {}, notes: [] };
  const server = await startServerProcess('tokensmith').catch((error: Error) => error);
  if (server instanceof Error) return { bench: 'request-overhead', rows: [notMeasured(measure, server.message, '<= 1.05')], figures: {}, notes: [] };
  try {
    const auth = new AblyAuth.value({ key: DEMO_KEY, useTokenAuth: true, baseUrl: server.url });
    const headers = { 'X-Ably-Version': ABLY_PROTOCOL_VERSION };
    const withAuth = createAblyApi({ baseUrl: server.url, headers, middleware: [auth.middleware] });
    const call = (client: typeof withAuth) => client.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'bench' } } });
    const first = await call(withAuth);
    if (first.response.status !== 200) throw new Error(`the middleware's request got HTTP ${first.response.status}`);
    const token = auth.tokenDetails?.token;
    if (!token) throw new Error('AblyAuth holds no token after its first request');
    const staticHeader = createAblyApi({ baseUrl: server.url, headers: { ...headers, Authorization: `Bearer ${btoa(token)}` } });
    const check = await call(staticHeader);
    if (check.response.status !== 200) throw new Error(`the static-header request got HTTP ${check.response.status}`);

    const timed = async (client: typeof withAuth): Promise<number> => {
      const begin = process.hrtime.bigint();
      const { response } = await call(client);
      const elapsed = Number(process.hrtime.bigint() - begin);
      if (response.status !== 200) throw new Error(`HTTP ${response.status} during the bench`);
      return elapsed;
    };
    progress(`request-overhead: warm-up, then ${PAIRS} pairs of requests, one each way, order alternating`);
    for (let i = 0; i < 300; i++) {
      await timed(withAuth);
      await timed(staticHeader);
    }
    // One request each way per pair, the order swapped every pair, so load drifting on a shared
    // machine lands on both sides alike.
    const withNs: number[] = [];
    const withoutNs: number[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      if (pair % 2 === 0) {
        withNs.push(await timed(withAuth));
        withoutNs.push(await timed(staticHeader));
      } else {
        withoutNs.push(await timed(staticHeader));
        withNs.push(await timed(withAuth));
      }
    }
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

    // The client-side cost alone: the same two clients over a fetch that answers at once from
    // memory, so the difference is the middleware and nothing on the wire.
    const memoryFetch = async (): Promise<Response> => new Response('[]', { status: 200, headers: { 'content-type': 'application/json' } });
    const memoryWith = createAblyApi({ baseUrl: server.url, headers, middleware: [auth.middleware], fetch: memoryFetch });
    const memoryWithout = createAblyApi({ baseUrl: server.url, headers: { ...headers, Authorization: `Bearer ${btoa(token)}` }, fetch: memoryFetch });
    progress('request-overhead: client-side cost with an in-memory fetch');
    const inMemory = await alternateBatches(() => call(memoryWith), () => call(memoryWithout));
    const ratios = [median(withNs) / median(withoutNs), sum(withNs) / sum(withoutNs)];
    // Each pair's two requests ran back to back: the median of the pairs' ratios compares each
    // request only with its neighbour, so drift in the machine's load cancels.
    const ratio = median(withNs.map((ns, i) => ns / (withoutNs[i] as number)));
    return {
      bench: 'request-overhead',
      rows: [
        {
          measure,
          ours: formatNs(median(withNs)),
          versus: `static header ${formatNs(median(withoutNs))}`,
          ratio: formatRatio(ratio),
          target: '<= 1.05',
          status: ratio <= 1.05 ? 'met' : 'missed',
          note: `median of per-pair ratios; ratio of medians ${formatRatio(ratios[0]!)}, of means ${formatRatio(ratios[1]!)}`,
        },
        {
          measure: 'same, in-memory fetch (client side only)',
          ours: formatNs(inMemory.aNs),
          versus: `static header ${formatNs(inMemory.bNs)}`,
          ratio: formatRatio(inMemory.ratio),
          status: 'info',
          note: 'median of 20 alternating rounds of 500 calls',
        },
      ],
      figures: {
        medianPairRatio: round(ratio),
        ratioOfMedians: round(ratios[0]!),
        ratioOfMeans: round(ratios[1]!),
        withMiddlewareMedianNs: round(median(withNs)),
        staticHeaderMedianNs: round(median(withoutNs)),
        withMiddlewareP99Ns: round(percentile(withNs, 99)),
        staticHeaderP99Ns: round(percentile(withoutNs, 99)),
        pairs: PAIRS,
        inMemoryFetch: { withNs: round(inMemory.aNs), withoutNs: round(inMemory.bNs), ratio: round(inMemory.ratio), roundRatios: inMemory.ratios.map((r) => round(r)) },
      },
      notes: [
        `request-overhead: openapi-fetch GET /channels/{channelId}/messages (Bearer) against the local server in its own process, one request at a time; ${PAIRS} pairs (one request each way, order swapped every pair) after 300 warm-up pairs; the static side sends the same Authorization and X-Ably-Version through openapi-fetch's headers option.`,
      ],
    };
  } finally {
    await server.close();
  }
}

if (isMain(import.meta.url)) await reportResult(run);
