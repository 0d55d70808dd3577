import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startOwnRedis } from '../test/redis/helpers/redis-server';
import { startTokenEndpoint } from '../test/redis/helpers/token-endpoint';
import { startWorker, type Worker, type WorkerResult } from '../test/redis/helpers/workers';
import { isMain, progress, reportResult } from './lib/child';
import { machineInfo } from './lib/machine';
import { formatMs, percentile, round } from './lib/stats';
import type { BenchResult, Row } from './lib/types';

/**
 * `npm run bench:fleet`: a fleet of WORKERS processes (default 64), each firing CALLS concurrent
 * getToken calls (default 100) through one RedisTokenStore, in three rounds: cold (nothing
 * cached anywhere), warm (right after), and after the token expired. Counted: token fetches at the
 * endpoint (target: 1 cold, 0 warm, 1 on expiry), each call's wait, and the Redis round trips
 * each process's store client sent (an ioredis client whose `sendCommand` is counted; the
 * pub/sub connection's one SUBSCRIBE is not). Redis: `REDIS_URL`, or `REDIS_CLUSTER_NODES` for a
 * cluster, else a redis-server of its own. Writes `bench/results.fleet.json`.
 *
 * Not in the jest suite: 64 `node --import tsx` processes take about a minute of CPU to start on
 * 2 cores. test/redis/fleet.test.ts runs the same worker with 8 processes.
 */

const WORKERS = Number(process.env.BENCH_FLEET_WORKERS ?? 64);
const CALLS = Number(process.env.BENCH_FLEET_CALLS ?? 100);
const TOKEN_LIFETIME_MS = Number(process.env.BENCH_FLEET_LIFETIME_MS ?? 60_000);
/** Redis command timeout in each worker: a starved shared machine can take seconds per command. */
const COMMAND_TIMEOUT_MS = process.env.BENCH_FLEET_COMMAND_TIMEOUT_MS ?? '10000';
const START_BATCH = 8;

interface Round {
  name: string;
  fetches: number;
  calls: number;
  failures: number;
  p50WaitMs: number;
  p99WaitMs: number;
  maxWaitMs: number;
  redisRoundTrips: number;
  roundTripsPerCall: number;
  distinctTokens: number;
}

function summarise(name: string, results: readonly WorkerResult[], fetches: number): Round {
  const waits = results.flatMap((r) => r.waitsMs);
  const calls = waits.length;
  const redisRoundTrips = results.reduce((sum, r) => sum + r.redisCommands, 0);
  return {
    name,
    fetches,
    calls,
    failures: results.reduce((sum, r) => sum + r.failures.length, 0),
    p50WaitMs: percentile(waits, 50),
    p99WaitMs: percentile(waits, 99),
    maxWaitMs: Math.max(...waits),
    redisRoundTrips,
    roundTripsPerCall: redisRoundTrips / calls,
    distinctTokens: new Set(results.flatMap((r) => r.tokens)).size,
  };
}

async function fleet(): Promise<BenchResult> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const own = process.env.REDIS_URL || process.env.REDIS_CLUSTER_NODES ? undefined : await startOwnRedis();
  const redisEnv: Record<string, string> = process.env.REDIS_CLUSTER_NODES ? { REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES } : { REDIS_URL: own?.url ?? process.env.REDIS_URL ?? '' };
  const endpoint = await startTokenEndpoint({ hang: 0, lifetimeMs: TOKEN_LIFETIME_MS });
  const workers: Worker[] = [];
  try {
    const env = { ...redisEnv, MODE: 'plain', TOKEN_URL: endpoint.url, REDIS_PREFIX: `bench:fleet:${randomUUID()}:`, CALLS: String(CALLS), COUNT_COMMANDS: '1', WORKER_MAX_LIFE_MS: '3600000', COMMAND_TIMEOUT_MS };
    const startedAt = Date.now();
    // In batches: 64 processes compiling TypeScript at once starve each other (and Redis) of CPU.
    while (workers.length < WORKERS) {
      const batch = Array.from({ length: Math.min(START_BATCH, WORKERS - workers.length) }, () => startWorker(env, root));
      workers.push(...batch);
      await Promise.all(batch.map((w) => w.ready));
    }
    progress(`${WORKERS} workers ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

    const rounds: Round[] = [];
    const runRound = async (name: string): Promise<void> => {
      const before = endpoint.arrivals.length;
      const results = await Promise.all(workers.map((w) => w.go()));
      rounds.push(summarise(name, results, endpoint.arrivals.length - before));
      progress(`${name}: ${JSON.stringify(rounds.at(-1))}`);
    };
    await runRound('cold');
    const fetchedAt = endpoint.arrivals.at(-1) ?? Date.now();
    await runRound('warm');
    // Past the expiry (and the Redis copy's PX), with no call in the refresh window before it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, fetchedAt + TOKEN_LIFETIME_MS + 500 - Date.now())));
    await runRound('expired');
    await Promise.all(workers.map((w) => w.end()));
    return result(rounds);
  } finally {
    for (const worker of workers) worker.kill();
    await endpoint.close();
    await own?.dispose();
  }
}

function result(rounds: readonly Round[]): BenchResult {
  const target: Record<string, number> = { cold: 1, warm: 0, expired: 1 };
  const rows: Row[] = rounds.flatMap((r): Row[] => {
    const expected = target[r.name] ?? 0;
    const fetchesMet = r.fetches === expected && r.failures === 0 && r.distinctTokens === 1;
    return [
      {
        measure: `${r.name}: token fetches, ${WORKERS} processes x ${CALLS} calls`,
        ours: String(r.fetches),
        target: `exactly ${expected}`,
        status: fetchesMet ? 'met' : 'missed',
        ...(fetchesMet ? {} : { note: `${r.failures} failed calls, ${r.distinctTokens} distinct tokens` }),
      },
      { measure: `${r.name}: wait p50 / p99 / max`, ours: `${formatMs(r.p50WaitMs)} / ${formatMs(r.p99WaitMs)} / ${formatMs(r.maxWaitMs)}`, status: 'info' },
      {
        measure: `${r.name}: Redis round trips per call`,
        ours: String(round(r.roundTripsPerCall, 3)),
        ...(r.name === 'warm' ? { target: '0', status: r.redisRoundTrips === 0 ? ('met' as const) : ('missed' as const) } : { status: 'info' as const }),
        note: `${r.redisRoundTrips} in all`,
      },
    ];
  });
  const figures = { workers: WORKERS, callsPerWorker: CALLS, tokenLifetimeMs: TOKEN_LIFETIME_MS, rounds };
  const out = process.env.BENCH_OUT ?? fileURLToPath(new URL('./results.fleet.json', import.meta.url));
  writeFileSync(out, `${JSON.stringify({ machine: machineInfo(), ...figures }, null, 2)}\n`);
  return {
    bench: 'fleet',
    rows,
    figures,
    notes: [
      `each process: a TokenManager over a RedisTokenStore (lock defaults), ${CALLS} concurrent getToken calls per round, token lifetime ${TOKEN_LIFETIME_MS / 1000} s`,
      'round trips: commands each process sent on its store connection (EVALSHA counts once; the pub/sub connection is not counted)',
      `figures written to ${out}`,
    ],
  };
}

if (isMain(import.meta.url)) await reportResult(fleet);
