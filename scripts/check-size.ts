/**
 * `npm run check:size`: bundles the `tokensmith` default entry (src/index.ts) the way a browser
 * app's bundler would — esbuild, minified, ESM, platform neutral, every dependency bundled — whole
 * and with only `AblyAuth` or only `MetquayAuth` imported (tree-shaken), and fails when any is
 * larger than its budget in `bench/lib/size-budgets.ts`. `bench/size.ts` uses the same settings
 * and sets them beside the official SDK.
 */
import { fileURLToPath } from 'node:url';
import { bundleSize } from '../bench/lib/bundle';
import { SIZE_BUDGETS } from '../bench/lib/size-budgets';

const root = fileURLToPath(new URL('..', import.meta.url));
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
let over = 0;
for (const budget of SIZE_BUDGETS) {
  const size = await bundleSize('./src/index.ts', undefined, root, budget.names);
  const used = ((size.bytes / budget.maxBytes) * 100).toFixed(0);
  console.log(`${budget.label}: ${kib(size.bytes)} minified (${kib(size.gzipBytes)} gzip), budget ${kib(budget.maxBytes)} (${used} % used)`);
  if (size.bytes <= budget.maxBytes) continue;
  over++;
  console.error(`  over budget by ${kib(size.bytes - budget.maxBytes)}; largest parts:`);
  for (const input of size.inputs.slice(0, 10)) console.error(`  ${kib(input.bytes).padStart(9)}  ${input.input}`);
}
if (over > 0) process.exit(1);
