import { isMain, progress, reportResult } from './lib/child';
import { runAutocannon, type AutocannonRequest, type AutocannonResult } from './lib/autocannon';
import { createFloor } from './lib/floor';
import { startServerProcess, type ServerProcess } from './lib/server-process';
import { soak, rssGrowth } from './lib/soak';
import { formatBytes, formatCount, formatMs, formatNs, formatPercent, formatRatio, median, round } from './lib/stats';
import { notMeasured, type BenchResult, type Row } from './lib/types';

/**
 * The local server under autocannon: signed `requestToken` req/s and p99 against a bare node:http
 * server answering a fixed JSON body, alternating in one run; then memory across
 * `BENCH_TOKEN_REQUESTS` (default 1,000,000) token requests, RSS read at checkpoints. Each server
 * runs in its own process; autocannon runs here. Every request carries a fresh nonce and the
 * current timestamp, so the server accepts every one (a non-2xx answer is counted and reported).
 */

const TOKEN_REQUESTS = Number(process.env.BENCH_TOKEN_REQUESTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SERVER_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_SERVER_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_SERVER_CONNECTIONS ?? 10);
const CHECKPOINTS = 10;
// A time cap keeps `npm run bench` inside its budget when the server slows down; the row then
// says how far it got and how fast it was going.
const SOAK_MAX_SECONDS = Number(process.env.BENCH_SOAK_MAX_SECONDS ?? 360);
const SOAK_CHUNK = 20_000;
// The bare control answers about three times faster; it gets a smaller cap of its own.
const CONTROL_MAX_SECONDS = Number(process.env.BENCH_CONTROL_MAX_SECONDS ?? 150);
const KEY_NAME = 'demoApp.demoKey';
const SECRET = 'demoKeySecret-public-do-not-use-in-production';
// The server's default stores hold 100,000 nonces and 100,000 tokens, full after that many
// requests; memory can only be flat from there on. RSS is compared from the first checkpoint
// after one more such cycle (steady state: the stores have evicted as much as they hold once),
// and the growth from the moment they filled is kept in results.json too.
const STORES_FULL_AFTER = 100_000;
const STEADY_AFTER = 2 * STORES_FULL_AFTER;

function signedRequest(): AutocannonRequest {
  const sign = createFloor(KEY_NAME, SECRET);
  const capability = { '*': ['*'] };
  return {
    method: 'POST',
    path: `/keys/${KEY_NAME}/requestToken`,
    headers: { 'content-type': 'application/json' },
    // A fresh nonce and timestamp for every request, signed as a client would.
    setupRequest: (request) => ({ ...request, body: JSON.stringify(sign(3_600_000, capability, 'bench-client')) }),
  };
}

function load(server: ServerProcess, options: { duration?: number; amount?: number }): Promise<AutocannonResult> {
  return runAutocannon({ url: server.url, connections: CONNECTIONS, requests: [signedRequest()], ...options });
}

const reqPerSec = (result: AutocannonResult): number => result['2xx'] / result.duration;
const failures = (result: AutocannonResult): number => result.non2xx + result.errors + result.timeouts;

export async function run(): Promise<BenchResult> {
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  const notes: string[] = [];
  let ours: ServerProcess;
  try {
    ours = await startServerProcess('tokensmith');
  } catch (error) {
    return { bench: 'server', rows: [notMeasured('local server', (error as Error).message, '>= 50 % of bare')], figures, notes };
  }
  const bare = await startServerProcess('bare');
  try {
    progress(`server: warm-up, then ${ROUNDS} rounds of ${SECONDS} s each, bare and tokensmith alternating`);
    await load(bare, { duration: 1 });
    await load(ours, { duration: 1 });
    const runs = { bare: [] as AutocannonResult[], ours: [] as AutocannonResult[] };
    // The server's own CPU per answered request, and how busy it was: on a small machine the load
    // generator can be the bottleneck for the faster server, which req/s alone would hide.
    const cpu = { bare: [] as number[], ours: [] as number[] };
    const busy = { bare: [] as number[], ours: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const);
      for (const which of order) {
        const server = which === 'bare' ? bare : ours;
        const before = await server.cpuMicros();
        const result = await load(server, { duration: SECONDS });
        const used = (await server.cpuMicros()) - before;
        runs[which].push(result);
        cpu[which].push(used / Math.max(1, result['2xx']));
        busy[which].push(used / (result.duration * 1e6));
      }
    }
    const oursRps = median(runs.ours.map(reqPerSec));
    const bareRps = median(runs.bare.map(reqPerSec));
    const oursP99 = median(runs.ours.map((r) => r.latency.p99));
    const bareP99 = median(runs.bare.map((r) => r.latency.p99));
    const oursFailures = runs.ours.reduce((sum, r) => sum + failures(r), 0);
    const share = oursRps / bareRps;
    rows.push({
      measure: `signed requestToken req/s (${CONNECTIONS} conns)`,
      ours: formatCount(oursRps),
      versus: `bare node:http ${formatCount(bareRps)}`,
      ratio: formatPercent(share),
      target: '>= 50 %',
      status: share >= 0.5 && oursFailures === 0 ? 'met' : 'missed',
      ...(oursFailures > 0 ? { note: `${oursFailures} requests failed or were refused` } : {}),
    });
    rows.push({
      measure: 'server CPU per answered request',
      ours: formatNs(median(cpu.ours) * 1e3),
      versus: `bare ${formatNs(median(cpu.bare) * 1e3)}`,
      ratio: formatRatio(median(cpu.ours) / median(cpu.bare)),
      status: 'info',
      note: `server process busy ${formatPercent(median(busy.ours))} vs bare ${formatPercent(median(busy.bare))} of one core (below 100 %: autocannon was the limit)`,
    });
    rows.push({ measure: 'requestToken p99 latency at that load', ours: formatMs(oursP99), versus: `bare ${formatMs(bareP99)}`, target: '< 10 ms', status: oursP99 < 10 ? 'met' : 'missed' });
    const summary = (r: AutocannonResult) => ({ reqPerSec: round(reqPerSec(r)), p50Ms: r.latency.p50, p99Ms: r.latency.p99, maxMs: r.latency.max, ok: r['2xx'], failed: failures(r) });
    figures.throughput = {
      connections: CONNECTIONS,
      seconds: SECONDS,
      rounds: ROUNDS,
      share: round(share),
      ours: runs.ours.map(summary),
      bare: runs.bare.map(summary),
      cpuMicrosPerRequest: { ours: cpu.ours.map((v) => round(v)), bare: cpu.bare.map((v) => round(v)) },
      serverBusyFraction: { ours: busy.ours.map((v) => round(v)), bare: busy.bare.map((v) => round(v)) },
    };

    rows.push(...(await memoryRows(ours, bare, figures)));
  } finally {
    await Promise.all([ours.close(), bare.close()]);
  }
  notes.push(
    `server: autocannon in the bench process, ${CONNECTIONS} connections, no pipelining; each server in its own Node process. Every request is POST /keys/${KEY_NAME}/requestToken with a TokenRequest signed just before it is sent (fresh nonce, current timestamp); the bare server reads the body and answers a fixed ~190-byte JSON. ` +
      `req/s = 2xx answers / duration, median of ${ROUNDS} alternating ${SECONDS}-s rounds; p99 from autocannon's histogram. Memory: RSS (after a forced GC) at ${CHECKPOINTS} checkpoints across BENCH_TOKEN_REQUESTS=${TOKEN_REQUESTS}, growth = peak over the first checkpoint past ${formatCount(STEADY_AFTER)} (the stores full and cycled once); then the same soak on the bare server as a control.`,
  );
  return { bench: 'server', rows, figures, notes };
}

/**
 * Memory across TOKEN_REQUESTS requests: RSS at each checkpoint, compared from steady state. The
 * same soak on the bare node:http server (a control, unless BENCH_SOAK_CONTROL=0) shows how much
 * RSS drift Node itself has under the same traffic.
 */
async function memoryRows(ours: ServerProcess, bare: ServerProcess, figures: Record<string, unknown>): Promise<Row[]> {
  const options = { requests: TOKEN_REQUESTS, checkpoints: CHECKPOINTS, maxSeconds: SOAK_MAX_SECONDS, chunk: SOAK_CHUNK };
  const result = await soak(ours, { ...options, label: 'server soak', load: (amount) => load(ours, { amount }) });
  const { growth, baseline, peak } = rssGrowth(result.checkpoints, STEADY_AFTER);
  const sinceFull = rssGrowth(result.checkpoints, STORES_FULL_AFTER).growth;
  figures.memory = { ...result, tokenRequests: TOKEN_REQUESTS, soakMaxSeconds: SOAK_MAX_SECONDS, storesFullAfter: STORES_FULL_AFTER, steadyAfter: STEADY_AFTER, growth: round(growth), growthSinceStoresFull: round(sinceFull) };
  const measure = `RSS across ${formatCount(result.sent)} token requests`;
  const heaps = result.checkpoints.filter((c) => c.requests >= STEADY_AFTER).map((c) => c.heapUsedBytes);
  const notes = [
    result.failed > 0 ? `${result.failed} requests failed or were refused` : '',
    Number.isFinite(sinceFull) ? `from ${formatCount(STORES_FULL_AFTER)} (stores just full) ${signed(sinceFull)}` : '',
    heaps.length > 1 ? `JS heap after GC ${formatBytes(Math.min(...heaps))}–${formatBytes(Math.max(...heaps))}` : '',
    result.capped ? `stopped at ${formatCount(result.sent)} of ${formatCount(TOKEN_REQUESTS)} after ${SOAK_MAX_SECONDS} s (BENCH_SOAK_MAX_SECONDS); req/s per checkpoint: ${result.checkpoints.map((c) => formatCount(c.reqPerSec)).join(', ')}` : '',
  ].filter(Boolean);
  const rows: Row[] = [];
  if (!baseline) {
    rows.push({ measure, ours: formatBytes(result.checkpoints.at(-1)?.rssBytes ?? result.start.rss), versus: `before the soak ${formatBytes(result.start.rss)}`, target: 'within 10 %', status: result.capped ? 'missed' : 'info', note: notes.join('; ') || `too few requests to reach steady state (${formatCount(STEADY_AFTER)}); set BENCH_TOKEN_REQUESTS` });
  } else {
    rows.push({
      measure,
      ours: `peak ${formatBytes(peak)}`,
      versus: `at ${formatCount(baseline.requests)} ${formatBytes(baseline.rssBytes)} (before the soak ${formatBytes(result.start.rss)})`,
      ratio: signed(growth),
      target: 'within 10 %',
      status: growth <= 0.1 && result.failed === 0 && !result.capped ? 'met' : 'missed',
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    });
  }
  if (process.env.BENCH_SOAK_CONTROL !== '0' && result.sent >= STEADY_AFTER * 2) {
    // The control gets exactly as many requests as ours got.
    const control = await soak(bare, { ...options, requests: result.sent, maxSeconds: CONTROL_MAX_SECONDS, label: 'bare soak', load: (amount) => load(bare, { amount }) });
    const bareGrowth = rssGrowth(control.checkpoints, STEADY_AFTER);
    figures.memoryControl = { ...control, growth: round(bareGrowth.growth) };
    if (bareGrowth.baseline) {
      const note = control.capped ? `stopped at ${formatCount(control.sent)} after ${CONTROL_MAX_SECONDS} s` : 'RSS drift Node shows without any tokensmith code';
      rows.push({ measure: '  same traffic, bare node:http (control)', ours: `peak ${formatBytes(bareGrowth.peak)}`, versus: `at ${formatCount(bareGrowth.baseline.requests)} ${formatBytes(bareGrowth.baseline.rssBytes)}`, ratio: signed(bareGrowth.growth), status: 'info', note });
    }
  }
  return rows;
}

function signed(fraction: number): string {
  return `${fraction >= 0 ? '+' : ''}${formatPercent(fraction)}`;
}

if (isMain(import.meta.url)) await reportResult(run);
