/**
 * What each bench hands back to the runner: rows for the table and the raw figures for
 * `bench/results.json`.
 */

/** How a row stands against its target. */
export type RowStatus = 'met' | 'missed' | 'info' | 'not measured';

/** One line of the results table. */
export interface Row {
  /** What is measured, e.g. `createTokenRequest ops/s`. */
  measure: string;
  /** tokensmith's figure, formatted. */
  ours: string;
  /** The figure it is compared with, formatted and labelled, e.g. `ably SDK 210k`. */
  versus?: string;
  /** `ours / versus` (or its inverse when smaller is better), formatted, e.g. `4.3x`. */
  ratio?: string;
  /** The target in words, e.g. `>= 4x`. */
  target?: string;
  /** Met, missed, a figure without a target, or why it was not measured. */
  status: RowStatus;
  /** For `not measured` and `missed`: why, in a few words. */
  note?: string;
}

/** A bench's whole answer. */
export interface BenchResult {
  /** The bench's file name without extension, e.g. `create-token-request`. */
  bench: string;
  /** Table rows, in order. */
  rows: Row[];
  /** Every raw figure (numbers in their unit named in the key), for results.json. */
  figures: Record<string, unknown>;
  /** How it was measured, limitations, anything a reader needs to trust the figures. */
  notes: string[];
}

/** A row for a figure that could not be measured, with the reason. */
export function notMeasured(measure: string, why: string, target?: string): Row {
  return { measure, ours: '-', status: 'not measured', note: why, ...(target ? { target } : {}) };
}
