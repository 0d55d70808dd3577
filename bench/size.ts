import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleSize, type BundleSize } from './lib/bundle';
import { installPacked } from './lib/packed';
import { isMain, progress, reportResult } from './lib/child';
import { SIZE_BUDGETS } from './lib/size-budgets';
import { formatBytes, formatMs, formatRatio, median, round } from './lib/stats';
import type { BenchResult, Row } from './lib/types';

/**
 * Size and start-up: the `tokensmith` default entry and the official SDK, each bundled and
 * minified by esbuild with the same settings; then the time `import()` of each takes in a fresh
 * Node process (alternating, median).
 */

const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 15);
// The first file import of a process sets up the ESM loader (tens of ms here): do one on an empty
// module first so only the module's own load and evaluation is timed.
const IMPORT_SCRIPT = [
  'await import(process.env.BENCH_WARM_URL);',
  'const t0 = performance.now();',
  'await import(process.env.BENCH_IMPORT_URL);',
  'process.stdout.write(String(performance.now() - t0));',
].join('\n');

function importMs(url: string, warmUrl: string): number {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_SCRIPT], {
    env: { ...process.env, BENCH_IMPORT_URL: url, BENCH_WARM_URL: warmUrl, NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  const ms = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(ms)) throw new Error(`importing ${url} failed: ${child.stderr.slice(0, 300)}`);
  return ms;
}

export async function run(): Promise<BenchResult> {
  progress('size: packing tokensmith, installing the tarball in a scratch project, bundling it and the ably SDK with esbuild');
  const packed = installPacked(fileURLToPath(new URL('..', import.meta.url)));
  const ours = await bundleSize('tokensmith', undefined, packed.dir);
  const sdk = await bundleSize('ably');
  const fraction = ours.bytes / sdk.bytes;
  // What an app importing only one part ships after tree-shaking; budgets from check:size.
  // The typed clients are the `tokensmith/client` entry (it alone bundles openapi-fetch).
  const parts: Record<string, { entry: string; names: string[] }> = {
    'createAblyApi (typed client, no auth; tokensmith/client)': { entry: 'tokensmith/client', names: ['createAblyApi'] },
    'AblyAuth': { entry: 'tokensmith', names: ['AblyAuth'] },
    'createAblyClient (tokensmith/client)': { entry: 'tokensmith/client', names: ['createAblyClient'] },
    'MetquayAuth': { entry: 'tokensmith', names: ['MetquayAuth'] },
  };
  const partSizes: Record<string, BundleSize> = {};
  for (const [label, { entry, names }] of Object.entries(parts)) partSizes[label] = await bundleSize(entry, undefined, packed.dir, names);
  packed.remove();
  const budgetOf = (names?: readonly string[]): number | undefined => SIZE_BUDGETS.find((b) => String(b.names ?? '') === String(names ?? ''))?.targetBytes;

  // Start-up: our node-condition entry as one ESM file (what a bundler or `dist` would give),
  // against the SDK's own Node build as installed.
  const dir = mkdtempSync(join(tmpdir(), 'tokensmith-bench-'));
  try {
    const ourFile = join(dir, 'tokensmith.mjs');
    await build({ entryPoints: ['src/index-node.ts'], bundle: true, minify: true, format: 'esm', platform: 'node', target: 'node20', outfile: ourFile, logLevel: 'silent' });
    const sdkFile = createRequire(import.meta.url).resolve('ably');
    writeFileSync(join(dir, 'warm.mjs'), 'export {};\n');
    writeFileSync(join(dir, 'empty.mjs'), 'export {};\n');
    const warm = pathToFileURL(join(dir, 'warm.mjs')).href;
    const targets = { ours: pathToFileURL(ourFile).href, sdk: pathToFileURL(sdkFile).href, empty: pathToFileURL(join(dir, 'empty.mjs')).href };
    progress(`size: timing import() of each in ${IMPORT_RUNS} fresh processes, rotating`);
    const times = { ours: [] as number[], sdk: [] as number[], empty: [] as number[] };
    const names = ['ours', 'sdk', 'empty'] as const;
    for (const which of names) importMs(targets[which], warm); // let the OS cache the files first
    for (let i = 0; i < IMPORT_RUNS; i++) {
      for (let j = 0; j < names.length; j++) {
        const which = names[(i + j) % names.length]!;
        times[which].push(importMs(targets[which], warm));
      }
    }
    // Net of importing an empty module, which is what any import costs on this machine.
    const emptyMs = median(times.empty);
    const oursMs = Math.max(0, median(times.ours) - emptyMs);
    const sdkMs = Math.max(0, median(times.sdk) - emptyMs);

    const rows: Row[] = [
      budgetRow('entry bundle, minified', ours, sdk, budgetOf()),
      { measure: 'entry bundle, minified+gzip', ours: formatBytes(ours.gzipBytes), versus: `ably SDK ${formatBytes(sdk.gzipBytes)}`, ratio: `1/${(sdk.gzipBytes / ours.gzipBytes).toFixed(1)}`, status: 'info' },
      { measure: 'import() time, fresh process', ours: formatMs(oursMs), versus: `ably SDK ${formatMs(sdkMs)}`, ratio: oursMs > 0 ? `${formatRatio(sdkMs / oursMs)} faster` : '', status: 'info', note: `net of an empty module's ${formatMs(emptyMs)}` },
    ];
    for (const [label, size] of Object.entries(partSizes)) rows.push(budgetRow(`  only ${label}, tree-shaken`, size, sdk, (parts[label]?.entry === 'tokensmith' ? budgetOf(parts[label]?.names) : undefined)));
    return {
      bench: 'size',
      rows,
      figures: {
        oursBytes: ours.bytes,
        oursGzipBytes: ours.gzipBytes,
        oursInputs: ours.inputs,
        treeShaken: Object.fromEntries(Object.entries(partSizes).map(([label, size]) => [label, { bytes: size.bytes, gzipBytes: size.gzipBytes, inputs: size.inputs }])),
        budgets: SIZE_BUDGETS,
        sdkBytes: sdk.bytes,
        sdkGzipBytes: sdk.gzipBytes,
        fractionOfSdk: round(fraction),
        importMs: {
          oursNet: round(oursMs),
          sdkNet: round(sdkMs),
          emptyMedian: round(emptyMs),
          oursRuns: times.ours.map((v) => round(v)),
          sdkRuns: times.sdk.map((v) => round(v)),
          emptyRuns: times.empty.map((v) => round(v)),
        },
      },
      notes: [
        'size: `export * from` each entry bundled by esbuild (tokensmith from its packed tarball installed in a scratch project, as a consumer has it; minified, ESM, platform neutral, browser fields first, every dependency bundled); the SDK resolves to its browser build.',
        `size: import() timed inside ${IMPORT_RUNS} fresh node processes per side, rotating, after one warm-up import of an empty module (the ESM loader's own set-up), minus the median import of another empty module; tokensmith = its node-condition entry bundled to one ESM file, the SDK = its installed Node build.`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A bundle's row: against its budget when it has one (with the largest parts when over), else for information. */
function budgetRow(measure: string, size: BundleSize, sdk: BundleSize, maxBytes: number | undefined): Row {
  const row: Row = { measure, ours: formatBytes(size.bytes), versus: `ably SDK ${formatBytes(sdk.bytes)}`, ratio: `1/${(sdk.bytes / size.bytes).toFixed(1)}`, status: 'info' };
  if (maxBytes === undefined) return row;
  const met = size.bytes <= maxBytes;
  const top = size.inputs.slice(0, 3).map((i) => `${i.input} ${formatBytes(i.bytes)}`).join(', ');
  return { ...row, target: `<= ${formatBytes(maxBytes)}`, status: met ? 'met' : 'missed', ...(met ? {} : { note: `largest parts: ${top}` }) };
}

if (isMain(import.meta.url)) await reportResult(run);
