import { measure } from 'mitata';
import { median } from './stats';

/** A function to time, by name. Sync or async; async ones are awaited one call at a time. */
export interface Candidate {
  name: string;
  fn: () => unknown;
}

/** Per-candidate figures from {@link compareInterleaved}. */
export interface CandidateTiming {
  name: string;
  /** Median over rounds of mitata's per-round average, ns per call. */
  nsPerOp: number;
  /** `1e9 / nsPerOp`. */
  opsPerSec: number;
  /** Every round's average, ns per call, in run order. */
  roundsNs: number[];
}

/** Options of {@link compareInterleaved}. */
export interface CompareOptions {
  /** Rounds; each round times every candidate once, the order rotating. Default 5. */
  rounds?: number;
  /** Minimum CPU time per candidate per round, ms. Default 200. */
  minCpuTimeMs?: number;
}

/**
 * Times candidates side by side: several rounds, each candidate measured once per round with
 * mitata (batched, warmed up), the order rotated every round so drift in the machine's load
 * (other processes, thermal state) falls on all of them alike. Figures are medians over rounds.
 */
export async function compareInterleaved(candidates: readonly Candidate[], options: CompareOptions = {}): Promise<CandidateTiming[]> {
  const rounds = options.rounds ?? 5;
  const minCpuTimeNs = (options.minCpuTimeMs ?? 200) * 1e6;
  const samples = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < candidates.length; i++) {
      const candidate = candidates[(i + round) % candidates.length]!;
      const stats = await measure(candidate.fn, { min_cpu_time: minCpuTimeNs });
      samples.get(candidate.name)!.push(stats.avg);
    }
  }
  return candidates.map(({ name }) => {
    const roundsNs = samples.get(name)!;
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
