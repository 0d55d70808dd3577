import { median } from './stats';

/** A function to time, by name. Sync or async; async ones are awaited one call at a time. */
export interface Candidate {
  name: string;
  fn: () => unknown;
}

/** Per-candidate figures from {@link compareInterleaved}. */
export interface CandidateTiming {
  name: string;
  /** Median over rounds of the round's CPU time per call, ns. */
  nsPerOp: number;
  /** `1e9 / nsPerOp`: calls per second of CPU. */
  opsPerSec: number;
  /** Every round's CPU time per call, ns, in run order. */
  roundsNs: number[];
}

/** Options of {@link compareInterleaved}. */
export interface CompareOptions {
  /** Rounds; each round times every candidate once, the order rotating. Default 5. */
  rounds?: number;
  /** Minimum CPU time per candidate per round, ms. Default 200. */
  minCpuTimeMs?: number;
}

/** A batch of calls takes about this much CPU, so reading the clock costs nothing in comparison. */
const BATCH_CPU_NS = 2e6;

type Loop = (fn: () => unknown, calls: number) => unknown;

/**
 * Times candidates side by side: several rounds, each candidate measured once per round, the order
 * rotated every round so drift in the machine's load falls on all of them alike. Each candidate
 * runs in a loop compiled for it alone (a shared loop's call site would turn polymorphic), is
 * warmed up first, and is timed in batches by the process's CPU time (`process.cpuUsage`, user +
 * system) rather than the wall clock: on a shared machine, time spent descheduled while another
 * process runs belongs to no candidate. Figures are medians over rounds.
 */
export async function compareInterleaved(candidates: readonly Candidate[], options: CompareOptions = {}): Promise<CandidateTiming[]> {
  const rounds = options.rounds ?? 5;
  const minCpuNs = (options.minCpuTimeMs ?? 200) * 1e6;
  const timed = [];
  for (const { name, fn } of candidates) {
    const loop = (fn() instanceof Promise ? newAsyncLoop() : newSyncLoop()) as Loop;
    timed.push({ name, fn, loop, batch: await calibrate(fn, loop, minCpuNs / 2), roundsNs: [] as number[] });
  }
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < timed.length; i++) {
      const candidate = timed[(i + round) % timed.length]!;
      candidate.roundsNs.push(await cpuNsPerCall(candidate.fn, candidate.loop, candidate.batch, minCpuNs));
    }
  }
  return timed.map(({ name, roundsNs }) => {
    const nsPerOp = median(roundsNs);
    return { name, nsPerOp, opsPerSec: 1e9 / nsPerOp, roundsNs };
  });
}

/**
 * How many times slower `a` is than `b`: the median over rounds of their time ratio within each
 * round, so a round slowed by outside load compares its two figures with each other only.
 */
export function slowdown(a: CandidateTiming, b: CandidateTiming): number {
  return median(a.roundsNs.map((ns, i) => ns / (b.roundsNs[i] as number)));
}

/** Warms `fn` up for about `warmNs` of CPU and answers a batch size worth ~BATCH_CPU_NS. */
async function calibrate(fn: () => unknown, loop: Loop, warmNs: number): Promise<number> {
  let batch = 16;
  let spent = 0;
  let perCall = Number.POSITIVE_INFINITY;
  while (spent < warmNs) {
    const ns = await cpuNs(fn, loop, batch);
    spent += ns;
    perCall = Math.max(1, ns) / batch;
    if (ns < BATCH_CPU_NS) batch *= 2;
  }
  return Math.max(1, Math.round(BATCH_CPU_NS / perCall));
}

async function cpuNsPerCall(fn: () => unknown, loop: Loop, batch: number, minNs: number): Promise<number> {
  let calls = 0;
  let ns = 0;
  while (ns < minNs) {
    ns += await cpuNs(fn, loop, batch);
    calls += batch;
  }
  return ns / calls;
}

async function cpuNs(fn: () => unknown, loop: Loop, calls: number): Promise<number> {
  const start = process.cpuUsage();
  await loop(fn, calls);
  const { user, system } = process.cpuUsage(start);
  return (user + system) * 1e3;
}

function newSyncLoop(): Function {
  return new Function('fn', 'n', 'for (let i = 0; i < n; i++) fn();');
}

function newAsyncLoop(): Function {
  return new Function('fn', 'n', 'return (async () => { for (let i = 0; i < n; i++) await fn(); })();');
}
