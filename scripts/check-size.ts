/**
 * `npm run check:size`: bundles the `tokensmith` default entry (src/index.ts) the way a browser
 * app's bundler would — esbuild, minified, ESM, platform neutral, every dependency bundled — and
 * fails when it is larger than the budget below. `bench/size.ts` uses the same settings and sets
 * it beside the official SDK.
 */
import { fileURLToPath } from 'node:url';
import { bundleSize } from '../bench/lib/bundle';

/**
 * Minified bytes of the default entry allowed. Set from the size measured when the budget was
 * introduced (57,475 bytes on 2026-11-23, every export of src/index.ts bundled), plus ~25 %
 * headroom, rounded up to a whole KiB: 57,475 × 1.25 = 71,844 → 72 KiB. Raise it deliberately,
 * in the commit that makes the entry bigger, saying why.
 */
export const SIZE_BUDGET_BYTES = 72 * 1024;

const root = fileURLToPath(new URL('..', import.meta.url));
const size = await bundleSize('./src/index.ts', undefined, root);
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const used = ((size.bytes / SIZE_BUDGET_BYTES) * 100).toFixed(0);
console.log(`tokensmith entry: ${kib(size.bytes)} minified (${kib(size.gzipBytes)} gzip), budget ${kib(SIZE_BUDGET_BYTES)} (${used} % used)`);
if (size.bytes > SIZE_BUDGET_BYTES) {
  console.error(`over budget by ${kib(size.bytes - SIZE_BUDGET_BYTES)}; largest parts:`);
  for (const input of size.inputs.slice(0, 10)) console.error(`  ${kib(input.bytes).padStart(9)}  ${input.input}`);
  process.exit(1);
}
