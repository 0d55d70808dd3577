import { median } from './stats';

/** What {@link alternateBatches} found. */
export interface AlternateResult {
  /** Median over rounds of A's mean time per call, ns. */
  aNs: number;
  /** Median over rounds of B's mean time per call, ns. */
  bNs: number;
  /** Median over rounds of (A's time / B's time) within the round. */
  ratio: number;
  ratios: number[];
}

/**
 * Times two async operations in alternating batches (A then B, then B then A, …) awaited one call
 * at a time, and compares them round by round: a load spike on a shared machine hits both sides of
 * a round, and the median of the rounds' ratios ignores the rounds it ruined.
 */
export async function alternateBatches(a: () => Promise<unknown>, b: () => Promise<unknown>, rounds = 20, batch = 500): Promise<AlternateResult> {
  const timeBatch = async (fn: () => Promise<unknown>): Promise<number> => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await fn();
    return Number(process.hrtime.bigint() - start) / batch;
  };
  await timeBatch(a); // warm both up
  await timeBatch(b);
  const aTimes: number[] = [];
  const bTimes: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let aNs: number;
    let bNs: number;
    if (round % 2 === 0) {
      aNs = await timeBatch(a);
      bNs = await timeBatch(b);
    } else {
      bNs = await timeBatch(b);
      aNs = await timeBatch(a);
    }
    aTimes.push(aNs);
    bTimes.push(bNs);
    ratios.push(aNs / bNs);
  }
  return { aNs: median(aTimes), bNs: median(bTimes), ratio: median(ratios), ratios };
}
