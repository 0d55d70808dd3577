/** Small statistics and formatting helpers shared by the benches. */

/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The `p`th percentile (0–100) of `values`, nearest-rank on a sorted copy (NaN when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

/** `12.3M`, `456k`, `789` — three significant figures. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toPrecision(3)}k`;
  return value.toPrecision(3).replace(/\.?0+$/, '');
}

/** A duration given in nanoseconds as `812 ns`, `3.41 µs`, `2.05 ms` or `1.20 s`. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  if (ns < 1e3) return `${ns.toPrecision(3)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toPrecision(3)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toPrecision(3)} ms`;
  return `${(ns / 1e9).toPrecision(3)} s`;
}

/** A duration given in milliseconds. */
export function formatMs(ms: number): string {
  return formatNs(ms * 1e6);
}

/** Bytes as `812 B`, `12.3 KiB`, `4.56 MiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${Math.round(bytes)} B`;
  if (abs < 1024 ** 2) return `${(bytes / 1024).toPrecision(3)} KiB`;
  return `${(bytes / 1024 ** 2).toPrecision(3)} MiB`;
}

/** A ratio as `4.27x`. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return String(ratio);
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}x`;
}

/** A fraction as `53.2 %`. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** Rounds for results.json: enough digits to be useful, no float noise. */
export function round(value: number, digits = 4): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}
