/**
 * `npm run check:size`: what a consumer's bundler ships from the published package. Packs
 * `tokensmith` (`npm pack`; build `dist/` first), installs the tarball in a scratch project, and
 * bundles an entry importing one name (or everything) with esbuild — minified, ESM, platform
 * neutral, every dependency bundled — so tree-shaking runs through the built `dist/` chunks, the
 * `exports` map and `sideEffects`, as in a real app. Prints each against its target and fails when
 * any passes its ceiling (both in `bench/lib/size-budgets.ts`). `bench/size.ts` measures the same way.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleSize } from '../bench/lib/bundle';
import { installPacked } from '../bench/lib/packed';
import { SIZE_BUDGETS } from '../bench/lib/size-budgets';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}dist/index.js`)) {
  console.error('check:size: dist/index.js missing; run `npm run build` first (sizes are measured from the packed package).');
  process.exit(1);
}
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const packed = installPacked(root);
let over = 0;
try {
  for (const budget of SIZE_BUDGETS) {
    const size = await bundleSize('tokensmith', undefined, packed.dir, budget.names);
    const target = size.bytes <= budget.targetBytes ? 'target met' : `target ${kib(budget.targetBytes)} not yet met`;
    console.log(`${budget.label}: ${kib(size.bytes)} minified (${kib(size.gzipBytes)} gzip); ${target}; ceiling ${kib(budget.ceilingBytes)}`);
    if (size.bytes <= budget.ceilingBytes) continue;
    over++;
    console.error(`  over its ceiling by ${kib(size.bytes - budget.ceilingBytes)}; largest parts:`);
    for (const input of size.inputs.slice(0, 10)) console.error(`  ${kib(input.bytes).padStart(9)}  ${input.input}`);
  }
} finally {
  packed.remove();
}
if (over > 0) process.exit(1);
