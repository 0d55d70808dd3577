/**
 * `npm run check:size`: bundles the `tokensmith` default entry (src/index.ts) the way a browser
 * app's bundler would — esbuild, minified, ESM, platform neutral, every dependency bundled — whole
 * and with only `AblyAuth` or only `MetquayAuth` imported (tree-shaken). Prints each against its
 * target and fails when any passes its ceiling (both in `bench/lib/size-budgets.ts`).
 * `bench/size.ts` uses the same settings and sets them beside the official SDK.
 */
import { fileURLToPath } from 'node:url';
import { bundleSize } from '../bench/lib/bundle';
import { SIZE_BUDGETS } from '../bench/lib/size-budgets';

const root = fileURLToPath(new URL('..', import.meta.url));
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
let over = 0;
for (const budget of SIZE_BUDGETS) {
  const size = await bundleSize('./src/index.ts', undefined, root, budget.names);
  const target = size.bytes <= budget.targetBytes ? 'target met' : `target ${kib(budget.targetBytes)} not yet met`;
  console.log(`${budget.label}: ${kib(size.bytes)} minified (${kib(size.gzipBytes)} gzip); ${target}; ceiling ${kib(budget.ceilingBytes)}`);
  if (size.bytes <= budget.ceilingBytes) continue;
  over++;
  console.error(`  over its ceiling by ${kib(size.bytes - budget.ceilingBytes)}; largest parts:`);
  for (const input of size.inputs.slice(0, 10)) console.error(`  ${kib(input.bytes).padStart(9)}  ${input.input}`);
}
if (over > 0) process.exit(1);
