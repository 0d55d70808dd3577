import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMain, progress, reportResult } from './lib/child';
import { runAutocannon, type AutocannonRequest, type AutocannonResult } from './lib/autocannon';
import { createFloor } from './lib/floor';
import { describeMachine, machineInfo } from './lib/machine';
import { startCliServer } from './lib/cli-server';
import { logLineCostNs } from './lib/log-line-cost';
import { startServerProcess, type ServerKind, type ServerProcess } from './lib/server-process';
import { soak, rssGrowth, type SoakResult } from './lib/soak';
import { formatBytes, formatCount, formatMs, formatNs, formatPercent, formatRatio, median, round } from './lib/stats';
import { lineChart } from './lib/svg';
import { notMeasured, type BenchResult, type Row } from './lib/types';

/**
 * The local server under autocannon, beside a bare node:http server and a bare Fastify route in
 * the same run: signed `requestToken` req/s, the server's CPU per answered request and p99 at 1,
 * 10 and 100 connections (rounds alternating between the three servers); then, on a fresh
 * server, memory and CPU per request across `BENCH_TOKEN_REQUESTS` (default 1,000,000) token
 * requests — the stores fill after 100,000, so the later windows show what a full store costs.
 * Every request carries a fresh nonce and the current timestamp, so the server accepts every one
 * (a non-2xx answer is counted and reported).
 */

const TOKEN_REQUESTS = Number(process.env.BENCH_TOKEN_REQUESTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SERVER_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_SERVER_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_SERVER_CONNECTIONS ?? 10);
/** Connection counts of the scaling rows and chart; the target rows use CONNECTIONS. */
const SCALING = (process.env.BENCH_SERVER_SCALING ?? '1,10,100').split(',').map(Number).filter((n) => n > 0);
/** Rounds at the other connection counts (the target count gets ROUNDS). */
const SCALING_ROUNDS = Number(process.env.BENCH_SCALING_ROUNDS ?? 2);
const CHART = process.env.BENCH_SCALING_SVG ?? fileURLToPath(new URL('./server-scaling.svg', import.meta.url));
const CHECKPOINTS = 10;
/** Which parts run: the scaling rows (library-started server), the CLI rows, the memory soak. */
const PARTS = new Set((process.env.BENCH_SERVER_PARTS ?? 'scaling,cli,memory').split(','));
/** `tokensmith serve` as a user starts it, at its default log level and at info. */
const CLI_WARMUP_SECONDS = Number(process.env.BENCH_CLI_WARMUP_SECONDS ?? SECONDS);
const CLI_SERVERS = [
  { label: 'default level (warn)', args: [] as string[] },
  { label: 'level info, text lines', args: ['--log-level', 'info'] },
] as const;
/** Another checkout (a path) whose CLI servers join the rotation, to compare two versions in one run. */
const CLI_BASELINE = process.env.BENCH_CLI_BASELINE || undefined;
// A time cap keeps `npm run bench` inside its budget when the server slows down; the row then
// says how far it got and how fast it was going.
const SOAK_MAX_SECONDS = Number(process.env.BENCH_SOAK_MAX_SECONDS ?? 360);
const SOAK_CHUNK = 20_000;
// The bare control answers about twice as fast; it gets a smaller cap of its own.
const CONTROL_MAX_SECONDS = Number(process.env.BENCH_CONTROL_MAX_SECONDS ?? 150);
const KEY_NAME = 'demoApp.demoKey';
const SECRET = 'demoKeySecret-public-do-not-use-in-production';
// The server's default stores hold 100,000 nonces and 100,000 tokens, full after that many
// requests; memory can only be flat from there on. RSS is compared from the first checkpoint
// after one more such cycle (steady state: the stores have evicted as much as they hold once),
// and the growth from the moment they filled is kept in results.json too.
const STORES_FULL_AFTER = 100_000;
const STEADY_AFTER = 2 * STORES_FULL_AFTER;
/** Below this share of one core a server was waiting for requests: the load generator was the limit. */
const SATURATED = 0.9;

const SERVERS = ['bare', 'fastify', 'tokensmith'] as const;
const LABEL: Record<ServerKind, string> = { bare: 'bare node:http', fastify: 'bare Fastify route', tokensmith: 'tokensmith' };

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

function load(server: ServerProcess, options: { connections?: number; duration?: number; amount?: number }): Promise<AutocannonResult> {
  return runAutocannon({ url: server.url, connections: CONNECTIONS, requests: [signedRequest()], ...options });
}

const failures = (result: AutocannonResult): number => result.non2xx + result.errors + result.timeouts;

/** One timed round against one server. */
interface Round {
  reqPerSec: number;
  /** The server process's CPU per answered request, µs. */
  cpuMicros: number;
  /** Share of one core the server process used. */
  serverBusy: number;
  /** Share of one core this process (autocannon) used. */
  loaderBusy: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
}

async function timedRound(server: ServerProcess, connections: number, seconds: number): Promise<Round> {
  const serverBefore = await server.cpuMicros();
  const loaderBefore = process.cpuUsage();
  const result = await load(server, { connections, duration: seconds });
  const loader = process.cpuUsage(loaderBefore);
  const used = (await server.cpuMicros()) - serverBefore;
  return {
    reqPerSec: result['2xx'] / result.duration,
    cpuMicros: used / Math.max(1, result['2xx']),
    serverBusy: used / (result.duration * 1e6),
    loaderBusy: (loader.user + loader.system) / (result.duration * 1e6),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed: failures(result),
  };
}

/** Medians over rounds of one server at one connection count. */
interface Level {
  connections: number;
  rounds: Round[];
  reqPerSec: number;
  cpuMicros: number;
  serverBusy: number;
  loaderBusy: number;
  p99Ms: number;
  failed: number;
}

function summarise(connections: number, rounds: Round[]): Level {
  const of = (pick: (r: Round) => number): number => median(rounds.map(pick));
  return { connections, rounds, reqPerSec: of((r) => r.reqPerSec), cpuMicros: of((r) => r.cpuMicros), serverBusy: of((r) => r.serverBusy), loaderBusy: of((r) => r.loaderBusy), p99Ms: of((r) => r.p99Ms), failed: rounds.reduce((sum, r) => sum + r.failed, 0) };
}

/** Each connection count: rounds rotating through the servers, so load drift falls on all alike. */
async function scaling(servers: Record<ServerKind, ServerProcess>): Promise<Map<number, Record<ServerKind, Level>>> {
  const levels = new Map<number, Record<ServerKind, Level>>();
  const counts = [...new Set([...SCALING, CONNECTIONS])].sort((a, b) => a - b);
  for (const connections of counts) {
    const rounds = connections === CONNECTIONS ? ROUNDS : SCALING_ROUNDS;
    progress(`server: ${connections} connection(s), ${rounds} round(s) of ${SECONDS} s per server, rotating`);
    for (const kind of SERVERS) await load(servers[kind], { connections, duration: 1 });
    const byServer: Record<ServerKind, Round[]> = { bare: [], fastify: [], tokensmith: [] };
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < SERVERS.length; i++) {
        const kind = SERVERS[(i + round) % SERVERS.length]!;
        byServer[kind].push(await timedRound(servers[kind], connections, SECONDS));
      }
    }
    levels.set(connections, { bare: summarise(connections, byServer.bare), fastify: summarise(connections, byServer.fastify), tokensmith: summarise(connections, byServer.tokensmith) });
  }
  return levels;
}

/** Which side the load generator held back, in words, or '' when both servers were saturated. */
function loadLimitNote(level: Record<ServerKind, Level>): string {
  const idle = (['tokensmith', 'bare'] as const).filter((kind) => level[kind].serverBusy < SATURATED);
  if (idle.length === 0) return '';
  const busy = idle.map((kind) => `${LABEL[kind]} busy ${formatPercent(level[kind].serverBusy)}`).join(', ');
  return `the load generator, not the server, was the limit (${busy} of a core; autocannon ${formatPercent(level.bare.loaderBusy)} with bare): CPU per request is the fairer comparison`;
}

export async function run(): Promise<BenchResult> {
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  const notes: string[] = [];
  const started: Partial<Record<ServerKind, ServerProcess>> = {};
  try {
    for (const kind of SERVERS) started[kind] = await startServerProcess(kind);
  } catch (error) {
    await Promise.all(Object.values(started).map((server) => server.close()));
    return { bench: 'server', rows: [notMeasured('local server', (error as Error).message, '>= 50 % of bare')], figures, notes };
  }
  const servers = started as Record<ServerKind, ServerProcess>;
  try {
    if (PARTS.has('scaling')) {
      const levels = await scaling(servers);
      rows.push(...targetRows(levels.get(CONNECTIONS)!));
      rows.push(...scalingRows(levels));
      figures.scaling = [...levels.values()].map((level) =>
        Object.fromEntries(SERVERS.map((kind) => [kind, { ...level[kind], rounds: level[kind].rounds.map(roundFigures) }])),
      );
      writeChart(levels);
    }
    await Promise.all([servers.fastify.close(), servers.tokensmith.close()]);
    if (PARTS.has('cli')) rows.push(...(await cliRows(servers.bare, figures)));
    if (PARTS.has('memory')) {
      // A fresh server for memory, so the soak starts from empty stores and a known RSS.
      const fresh = await startServerProcess('tokensmith');
      try {
        rows.push(...(await memoryRows(fresh, servers.bare, figures)));
      } finally {
        await fresh.close();
      }
    }
  } finally {
    await Promise.all(SERVERS.map((kind) => servers[kind].close()));
  }
  notes.push(
    `server: autocannon in the bench process, no pipelining; each server in its own Node process. Every request is POST /keys/${KEY_NAME}/requestToken with a TokenRequest signed just before it is sent (fresh nonce, current timestamp); the bare node:http server and the bare Fastify route read the body and answer a fixed ~190-byte JSON. ` +
      `At each of ${SCALING.join(', ')} connections: rounds of ${SECONDS} s rotating bare, Fastify, tokensmith (${ROUNDS} rounds at ${CONNECTIONS}, ${SCALING_ROUNDS} elsewhere), medians over rounds; req/s = 2xx answers / duration; server CPU = user + system time of the server process over the round / 2xx answers; p99 from autocannon's histogram. ` +
      `Memory: a fresh server, RSS (after a forced GC) at ${CHECKPOINTS} checkpoints across BENCH_TOKEN_REQUESTS=${TOKEN_REQUESTS}, growth = peak over the first checkpoint past ${formatCount(STEADY_AFTER)} (the stores full and cycled once); then the same soak on the bare server as a control. Chart: ${CHART.replace(/^.*\/bench\//, 'bench/')}.`,
  );
  return { bench: 'server', rows, figures, notes };
}

/**
 * `tokensmith serve` started as the CLI starts it (its own process, demo config, logger to a
 * file as `2> server.log`), at the default level and at info, beside the bare node:http server:
 * rounds rotating the three at CONNECTIONS, medians over rounds.
 */
async function cliRows(bare: ServerProcess, figures: Record<string, unknown>): Promise<Row[]> {
  const started: Awaited<ReturnType<typeof startCliServer>>[] = [];
  try {
    for (const server of CLI_SERVERS) started.push(await startCliServer(server.args));
    if (CLI_BASELINE !== undefined) for (const server of CLI_SERVERS) started.push(await startCliServer(server.args, CLI_BASELINE));
  } catch (error) {
    await Promise.all(started.map((server) => server.close()));
    return [notMeasured('tokensmith serve (CLI)', (error as Error).message, '>= 50 % of bare')];
  }
  try {
    const all = [bare, ...started];
    progress(`server: tokensmith serve as the CLI starts it, ${ROUNDS} round(s) of ${SECONDS} s, rotating with bare${CLI_BASELINE === undefined ? '' : ` and ${CLI_BASELINE}'s CLI`}`);
    // A discarded rotation first, longer than the scaling rows' warm-up: in every trial run the
    // CLI servers' first round cost several times the later ones (JIT still optimising).
    for (const server of all) await load(server, { duration: CLI_WARMUP_SECONDS });
    const byServer: Round[][] = all.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < all.length; i++) {
        const index = (i + round) % all.length;
        byServer[index]!.push(await timedRound(all[index]!, CONNECTIONS, SECONDS));
      }
    }
    const [bareLevel, ...cliLevels] = byServer.map((rounds) => summarise(CONNECTIONS, rounds));
    const demoSecrets = ['demoKeySecret-public-do-not-use-in-production', 'limitedKeySecret-public-do-not-use-in-production', 'demo-secret-key-public-do-not-use-in-production'];
    const lineCost = { text: logLineCostNs('text', demoSecrets), json: logLineCostNs('json', demoSecrets) };
    figures.logLineCostNs = lineCost;
    const labelOf = (i: number): string => (i < CLI_SERVERS.length ? CLI_SERVERS[i]!.label : `baseline ${CLI_SERVERS[i - CLI_SERVERS.length]!.label}`);
    figures.cli = { bare: bareLevel, ...Object.fromEntries(started.map((server, i) => [labelOf(i), { ...cliLevels[i], logBytes: server.logBytes() }])) };
    const baselineRows = CLI_SERVERS.map((server, i): Row => {
      const base = cliLevels[i + CLI_SERVERS.length];
      if (base === undefined) return notMeasured('', '', '');
      const ratios = cliLevels[i]!.rounds.map((r, round) => r.cpuMicros / base.rounds[round]!.cpuMicros);
      return { measure: `  ${server.label}: CPU per request, this checkout vs ${CLI_BASELINE}`, ours: formatNs(cliLevels[i]!.cpuMicros * 1e3), versus: `baseline ${formatNs(base.cpuMicros * 1e3)}`, ratio: formatRatio(median(ratios)), status: 'info', note: `median of per-round ratios: ${ratios.map((x) => x.toFixed(2)).join(', ')}` };
    });
    return started.flatMap((server, i): Row[] => {
      const ours = cliLevels[i]!;
      const label = labelOf(i);
      // Medians of per-round ratios: each round's pair ran back to back, so load drift cancels.
      const perRound = (pick: (r: Round) => number) => ours.rounds.map((r, round) => pick(r) / pick(bareLevel!.rounds[round]!));
      const shares = perRound((r) => r.reqPerSec);
      const cpus = perRound((r) => r.cpuMicros);
      const share = median(shares);
      const cpu = median(cpus);
      const failed = ours.failed > 0 ? `${ours.failed} requests failed or were refused; ` : '';
      return [
        {
          measure: `tokensmith serve (CLI, ${label}): requestToken req/s (${CONNECTIONS} conns)`,
          ours: formatCount(ours.reqPerSec),
          versus: `bare node:http ${formatCount(bareLevel!.reqPerSec)}`,
          ratio: formatPercent(share),
          target: '>= 50 %',
          status: share >= 0.5 && ours.failed === 0 ? 'met' : 'missed',
          note: `${failed}median of per-round shares: ${shares.map((x) => formatPercent(x)).join(', ')}; server busy ${formatPercent(ours.serverBusy)} vs bare ${formatPercent(bareLevel!.serverBusy)} of a core; ${formatBytes(server.logBytes())} of log written`,
        },
        {
          measure: `  same, server CPU per answered requestToken`,
          ours: formatNs(ours.cpuMicros * 1e3),
          versus: `bare ${formatNs(bareLevel!.cpuMicros * 1e3)}`,
          ratio: formatRatio(cpu),
          target: '<= 2x bare',
          status: cpu <= 2 && ours.failed === 0 ? 'met' : 'missed',
          note: `median of per-round ratios: ${cpus.map((x) => x.toFixed(2)).join(', ')}`,
        },
      ] satisfies Row[];
    }).concat(CLI_BASELINE === undefined ? [] : baselineRows, [
      {
        measure: '  what info adds per request, in process (scrub, line, batch)',
        ours: `text ${formatNs(lineCost.text)}, json ${formatNs(lineCost.json)}`,
        versus: `bare's CPU per request ${formatNs(bareLevel!.cpuMicros * 1e3)}`,
        ratio: formatPercent(lineCost.text / (bareLevel!.cpuMicros * 1e3)),
        status: 'info',
        note: 'CPU time of 200k request lines, no network; the difference between the two rows above is mostly load noise when it is larger',
      },
    ]);
  } finally {
    await Promise.all(started.map((server) => server.close()));
  }
}

/** autocannon's latencies are whole milliseconds: 0 means under one. */
function formatLatency(ms: number): string {
  return ms === 0 ? '< 1 ms' : formatMs(ms);
}

function roundFigures(r: Round): Record<string, number> {
  return Object.fromEntries(Object.entries(r).map(([key, value]) => [key, round(value)]));
}

function targetRows(level: Record<ServerKind, Level>): Row[] {
  const { tokensmith: ours, bare, fastify } = level;
  const share = ours.reqPerSec / bare.reqPerSec;
  const cpu = ours.cpuMicros / bare.cpuMicros;
  const limit = loadLimitNote(level);
  return [
    {
      measure: `signed requestToken req/s (${CONNECTIONS} conns)`,
      ours: formatCount(ours.reqPerSec),
      versus: `bare node:http ${formatCount(bare.reqPerSec)}`,
      ratio: formatPercent(share),
      target: '>= 50 %',
      status: share >= 0.5 && ours.failed === 0 ? 'met' : 'missed',
      note: [ours.failed > 0 ? `${ours.failed} requests failed or were refused` : '', limit].filter(Boolean).join('; '),
    },
    {
      measure: `server CPU per answered requestToken (${CONNECTIONS} conns)`,
      ours: formatNs(ours.cpuMicros * 1e3),
      versus: `bare ${formatNs(bare.cpuMicros * 1e3)}`,
      ratio: formatRatio(cpu),
      target: '<= 2x bare',
      status: cpu <= 2 ? 'met' : 'missed',
      note: `server busy ${formatPercent(ours.serverBusy)} vs bare ${formatPercent(bare.serverBusy)} of a core`,
    },
    {
      measure: '  same, a bare Fastify route (the framework alone)',
      ours: formatNs(fastify.cpuMicros * 1e3),
      versus: `bare ${formatNs(bare.cpuMicros * 1e3)}`,
      ratio: formatRatio(fastify.cpuMicros / bare.cpuMicros),
      status: 'info',
      note: `tokensmith's own work on top: ${formatNs((ours.cpuMicros - fastify.cpuMicros) * 1e3)} per request; Fastify route ${formatCount(fastify.reqPerSec)} req/s`,
    },
    { measure: `requestToken p99 latency (${CONNECTIONS} conns)`, ours: formatLatency(ours.p99Ms), versus: `bare ${formatLatency(bare.p99Ms)}`, target: '< 10 ms', status: ours.p99Ms < 10 ? 'met' : 'missed' },
  ];
}

function scalingRows(levels: Map<number, Record<ServerKind, Level>>): Row[] {
  return [...levels.values()].map((level) => {
    const { tokensmith: ours, bare } = level;
    const connections = ours.connections;
    return {
      measure: `scaling: ${connections} conn${connections === 1 ? '' : 's'}, CPU/request and p99`,
      ours: `${formatNs(ours.cpuMicros * 1e3)}, p99 ${formatLatency(ours.p99Ms)}`,
      versus: `bare ${formatNs(bare.cpuMicros * 1e3)}, p99 ${formatLatency(bare.p99Ms)}`,
      ratio: formatRatio(ours.cpuMicros / bare.cpuMicros),
      status: 'info',
      note: `${formatCount(ours.reqPerSec)} vs ${formatCount(bare.reqPerSec)} req/s (${formatPercent(ours.reqPerSec / bare.reqPerSec)}); Fastify route ${formatNs(level.fastify.cpuMicros * 1e3)}, ${formatCount(level.fastify.reqPerSec)} req/s${level.bare.serverBusy < SATURATED ? `; bare busy ${formatPercent(level.bare.serverBusy)}: load-generator bound` : ''}`,
    } satisfies Row;
  });
}

function writeChart(levels: Map<number, Record<ServerKind, Level>>): void {
  const colours: Record<ServerKind, string> = { bare: '#888888', fastify: '#1f77b4', tokensmith: '#d62728' };
  const series = SERVERS.map((kind) => ({ name: LABEL[kind], colour: colours[kind], points: [...levels.values()].map((level) => [level[kind].connections, round(level[kind].reqPerSec)] as const) }));
  const machine = machineInfo();
  const svg = lineChart({ title: 'Signed requestToken throughput vs connections', xLabel: 'connections (autocannon, no pipelining)', yLabel: 'answered requests/s', logX: true, series, caption: `${describeMachine(machine)}; ${machine.date.slice(0, 10)}; medians over rounds` });
  writeFileSync(CHART, svg);
  progress(`server: wrote ${CHART}`);
}

/**
 * Memory and CPU across TOKEN_REQUESTS requests on a fresh server: RSS at each checkpoint,
 * compared from steady state, and CPU per request with the stores full against while they fill.
 * The same soak on the bare node:http server (a control, unless BENCH_SOAK_CONTROL=0) shows how
 * much RSS drift Node itself has under the same traffic.
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
  rows.push(fullStoresRow(result));
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

/**
 * The O(1) claim: CPU per request once the nonce and token stores are full (every request then
 * evicts) against the first window, while they were still filling.
 */
function fullStoresRow(result: SoakResult): Row {
  const measure = 'token requests with the stores full (O(1))';
  const filling = result.checkpoints.find((c) => c.requests <= STORES_FULL_AFTER);
  const full = result.checkpoints.filter((c) => c.requests > STEADY_AFTER);
  if (!filling || full.length === 0) return notMeasured(measure, `needs BENCH_TOKEN_REQUESTS > ${formatCount(STEADY_AFTER)} with a checkpoint at or below ${formatCount(STORES_FULL_AFTER)}`, 'flat: <= 1.25x');
  const cpuFull = median(full.map((c) => c.cpuMicrosPerRequest));
  const ratio = cpuFull / filling.cpuMicrosPerRequest;
  return {
    measure,
    ours: `${formatNs(cpuFull * 1e3)} CPU/request, ${formatCount(median(full.map((c) => c.reqPerSec)))} req/s`,
    versus: `filling (first ${formatCount(filling.requests)}) ${formatNs(filling.cpuMicrosPerRequest * 1e3)}, ${formatCount(filling.reqPerSec)} req/s`,
    ratio: formatRatio(ratio),
    target: 'flat: <= 1.25x',
    status: ratio <= 1.25 ? 'met' : 'missed',
    note: `median of the ${full.length} windows past ${formatCount(STEADY_AFTER)}; per window: ${result.checkpoints.map((c) => Math.round(c.cpuMicrosPerRequest)).join(', ')} µs`,
  };
}

function signed(fraction: number): string {
  return `${fraction >= 0 ? '+' : ''}${formatPercent(fraction)}`;
}

if (isMain(import.meta.url)) await reportResult(run);
