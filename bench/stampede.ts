import * as Ably from 'ably';
import type { Middleware } from 'openapi-fetch';
import { SystemClock } from '../src/core/clock';
import { TokenManager } from '../src/core/token-manager';
import { isMain, progress, reportResult } from './lib/child';
import { optionalExport } from './lib/optional';
import { startServerProcess, type ServerProcess } from './lib/server-process';
import { formatMs, percentile, round } from './lib/stats';
import { notMeasured, type BenchResult, type Row } from './lib/types';

/**
 * Stampede: N concurrent callers (default 10,000) need a token at the same moment, once with none
 * cached (cold) and once with the cached one expired. Counted: token fetches (target exactly 1)
 * and each caller's wait. Three layers: the core TokenManager over a synthetic 20 ms fetch, and
 * AblyAuth and MetquayAuth over real HTTP against the local server.
 */

const CALLERS = Number(process.env.BENCH_STAMPEDE_CALLERS ?? 10_000);
const SYNTHETIC_FETCH_MS = 20;
const DEMO_ABLY_KEY = 'demoApp.demoKey:demoKeySecret-public-do-not-use-in-production';
const DEMO_METQUAY = { accessKey: 'demo-access-key', secretKey: 'demo-secret-key-public-do-not-use-in-production' };
const ABLY_SHORT_TTL_MS = 1_500;

interface StampedeResult {
  fetches: number;
  errors: number;
  waitsMs: number[];
}

/** Fires `CALLERS` calls in one synchronous loop and records when each settles. */
async function stampede(call: () => Promise<unknown>, countFetches: () => number): Promise<StampedeResult> {
  const before = countFetches();
  const waitsMs: number[] = new Array(CALLERS);
  let errors = 0;
  const pending: Promise<void>[] = new Array(CALLERS);
  for (let i = 0; i < CALLERS; i++) {
    const start = performance.now();
    pending[i] = call().then(
      () => {
        waitsMs[i] = performance.now() - start;
      },
      () => {
        errors++;
        waitsMs[i] = performance.now() - start;
      },
    );
  }
  await Promise.all(pending);
  return { fetches: countFetches() - before, errors, waitsMs };
}

function rowsFor(layer: string, phase: 'cold' | 'expired', result: StampedeResult, figures: Record<string, unknown>): Row {
  const p50 = percentile(result.waitsMs, 50);
  const p99 = percentile(result.waitsMs, 99);
  const max = percentile(result.waitsMs, 100);
  figures[`${layer} ${phase}`] = { callers: CALLERS, fetches: result.fetches, errors: result.errors, p50WaitMs: round(p50), p99WaitMs: round(p99), maxWaitMs: round(max) };
  const ok = result.fetches === 1 && result.errors === 0;
  return {
    measure: `${layer}, ${CALLERS} callers, ${phase}`,
    ours: `${result.fetches} fetch${result.fetches === 1 ? '' : 'es'}`,
    versus: `p99 wait ${formatMs(p99)} (p50 ${formatMs(p50)})`,
    target: 'exactly 1 fetch',
    status: ok ? 'met' : 'missed',
    ...(result.errors > 0 ? { note: `${result.errors} callers failed` } : {}),
  };
}

/** A fetch that counts calls whose path ends with `suffix`. */
function countingFetch(suffix: string): { fetch: typeof globalThis.fetch; count: () => number } {
  let count = 0;
  const fetch: typeof globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url).pathname.endsWith(suffix)) count++;
    return globalThis.fetch(input, init);
  };
  return { fetch, count: () => count };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function coreManager(rows: Row[], figures: Record<string, unknown>): Promise<void> {
  let skewMs = 0;
  const clock = new SystemClock(() => Date.now() + skewMs);
  let fetches = 0;
  const manager = new TokenManager({
    clock,
    fetchToken: async () => {
      fetches++;
      await sleep(SYNTHETIC_FETCH_MS);
      return { token: `token-${fetches}`, expiresAt: clock.now() + 60 * 60_000 };
    },
  });
  progress(`stampede: TokenManager, ${CALLERS} callers cold`);
  rows.push(rowsFor('TokenManager (20 ms fetch)', 'cold', await stampede(() => manager.getToken(), () => fetches), figures));
  skewMs = 2 * 60 * 60_000; // two hours on: the hour-long token is expired
  progress(`stampede: TokenManager, ${CALLERS} callers expired`);
  rows.push(rowsFor('TokenManager (20 ms fetch)', 'expired', await stampede(() => manager.getToken(), () => fetches), figures));
}

type AblyAuthClass = new (options: Record<string, unknown>) => { middleware: Middleware };

async function ablyAuth(server: ServerProcess, rows: Row[], figures: Record<string, unknown>): Promise<void> {
  const layer = 'AblyAuth over HTTP';
  const AblyAuth = await optionalExport<AblyAuthClass>('../src/index-node.ts', 'AblyAuth', import.meta.url);
  if (!AblyAuth.ok) {
    rows.push(notMeasured(layer, AblyAuth.why, 'exactly 1 fetch'));
    return;
  }
  const counter = countingFetch('/requestToken');
  const auth = new AblyAuth.value({ key: DEMO_ABLY_KEY, useTokenAuth: true, baseUrl: server.url, fetch: counter.fetch, defaultTokenParams: { ttl: ABLY_SHORT_TTL_MS } });
  // Every caller authenticates its own request through the middleware: the path a burst of
  // requests on a cold client takes. Request-shaped objects keep undici's cost out of the figure.
  const onRequest = auth.middleware.onRequest!;
  const call = (): Promise<unknown> => {
    const request = { method: 'GET', body: null, headers: { set(_name: string, _value: string) {} } };
    return Promise.resolve(onRequest({ request, schemaPath: '/channels/{channelId}/messages', params: {}, options: {}, id: 'bench' } as never));
  };
  progress(`stampede: AblyAuth, ${CALLERS} callers cold`);
  rows.push(rowsFor(layer, 'cold', await stampede(call, counter.count), figures));
  await sleep(ABLY_SHORT_TTL_MS + 250); // no calls meanwhile, so no background refresh: it expires
  progress(`stampede: AblyAuth, ${CALLERS} callers expired`);
  rows.push(rowsFor(layer, 'expired', await stampede(call, counter.count), figures));
}

type MetquayAuthClass = new (options: Record<string, unknown>) => { getToken(): Promise<string> };

async function metquayAuth(server: ServerProcess, rows: Row[], figures: Record<string, unknown>): Promise<void> {
  const layer = 'MetquayAuth over HTTP';
  const MetquayAuth = await optionalExport<MetquayAuthClass>('../src/index-node.ts', 'MetquayAuth', import.meta.url);
  if (!MetquayAuth.ok) {
    rows.push(notMeasured(layer, MetquayAuth.why, 'exactly 1 fetch'));
    return;
  }
  let skewMs = 0;
  const clock = new SystemClock(() => Date.now() + skewMs);
  const counter = countingFetch('/authenticate');
  const auth = new MetquayAuth.value({ ...DEMO_METQUAY, baseUrl: `${server.url}/api/v1`, fetch: counter.fetch, clock });
  progress(`stampede: MetquayAuth, ${CALLERS} callers cold`);
  rows.push(rowsFor(layer, 'cold', await stampede(() => auth.getToken(), counter.count), figures));
  skewMs = 60 * 60_000; // an hour on: the 15-minute token is expired on the client's clock
  progress(`stampede: MetquayAuth, ${CALLERS} callers expired`);
  rows.push(rowsFor(layer, 'expired', await stampede(() => auth.getToken(), counter.count), figures));
}

async function officialSdk(rows: Row[], figures: Record<string, unknown>): Promise<void> {
  let fetches = 0;
  const sdk = new Ably.Rest({
    logLevel: 0,
    authCallback: (_params, callback) => {
      fetches++;
      setTimeout(() => callback(null, { token: `sdk-token-${fetches}`, expires: Date.now() + 60 * 60_000 } as Ably.TokenDetails), SYNTHETIC_FETCH_MS);
    },
  } as Ably.ClientOptions);
  const getAuthHeaders = (sdk.auth as unknown as { getAuthHeaders(): Promise<unknown> }).getAuthHeaders.bind(sdk.auth);
  progress(`stampede: ably SDK, ${CALLERS} callers cold`);
  const result = await stampede(getAuthHeaders, () => fetches);
  const row = rowsFor('ably SDK authCallback (20 ms)', 'cold', result, figures);
  rows.push({ ...row, target: '', status: 'info', note: 'for comparison' });
}

export async function run(): Promise<BenchResult> {
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  await coreManager(rows, figures);
  await officialSdk(rows, figures);
  const server = await startServerProcess('tokensmith').catch((error: Error) => error);
  if (server instanceof Error) {
    rows.push(notMeasured('AblyAuth / MetquayAuth over HTTP', server.message, 'exactly 1 fetch'));
  } else {
    try {
      await ablyAuth(server, rows, figures);
      await metquayAuth(server, rows, figures);
    } finally {
      await server.close();
    }
  }
  return {
    bench: 'stampede',
    rows,
    figures,
    notes: [
      `stampede: ${CALLERS} calls started in one synchronous loop; wait = call to settle, per caller. Expired = the cached token past its expiry with no call in between (TokenManager and MetquayAuth: their clock moved on; AblyAuth: a ${ABLY_SHORT_TTL_MS} ms token, waited out). ` +
        'AblyAuth callers go through auth.middleware.onRequest; fetches counted at the fetch the client was given.',
    ],
  };
}

if (isMain(import.meta.url)) await reportResult(run);
