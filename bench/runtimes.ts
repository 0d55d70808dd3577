import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { lastJsonLine, run as runProcess } from '../scripts/lib/exec';
import { ensureBuild, installPackedPackage } from '../scripts/lib/packed-package';
import { isMain, progress, reportResult } from './lib/child';
import { formatCount, formatRatio, median, round } from './lib/stats';
import { notMeasured, type BenchResult, type Row } from './lib/types';
import type { SignReport } from './runtimes/sign';

/**
 * createTokenRequest ops/s of the packed package on Node, Bun and Deno: in each runtime the entry
 * it resolves for `tokensmith` and the default (Web Crypto) entry, rounds interleaved in one
 * process. The runtimes run one after another, `BENCH_RUNTIME_PASSES` times in turn; each figure
 * is compared with Node's node:crypto entry of the same pass (median of per-pass ratios).
 */

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const APP = join(ROOT, 'test-results', 'bench-runtimes');
const BIN = join(ROOT, 'node_modules', '.bin');
const PASSES = Number(process.env.BENCH_RUNTIME_PASSES ?? 3);
const ROUNDS = 9;
const MIN_MS = 200;

const RUNTIMES = [
  { name: 'Node', command: process.execPath, args: (file: string) => [file] },
  { name: 'Bun', command: join(BIN, 'bun'), args: (file: string) => [file] },
  { name: 'Deno', command: join(BIN, 'deno'), args: (file: string) => ['run', `--allow-read=${APP},${join(ROOT, 'node_modules')}`, file] },
] as const;

function writeEntry(): string {
  const file = join(APP, 'sign-entry.mjs');
  writeFileSync(
    file,
    `import * as resolved from 'tokensmith';\nimport * as web from './node_modules/tokensmith/dist/index.js';\n` +
      `import { measureSigning } from './sign.mjs';\n` +
      `const runtime = globalThis.Deno ? 'Deno ' + Deno.version.deno : globalThis.Bun ? 'Bun ' + Bun.version : 'Node ' + process.versions.node;\n` +
      `const signer = (lib) => lib.AblyAuth.signer.name;\n` +
      `const candidates = [{ name: 'resolved:' + signer(resolved), AblyAuth: resolved.AblyAuth }];\n` +
      `if (resolved.AblyAuth !== web.AblyAuth) candidates.push({ name: 'default:' + signer(web), AblyAuth: web.AblyAuth });\n` +
      `console.log(JSON.stringify(await measureSigning(runtime, candidates, ${ROUNDS}, ${MIN_MS})));\n`,
  );
  return file;
}

export async function run(): Promise<BenchResult> {
  ensureBuild(ROOT);
  installPackedPackage(ROOT, APP);
  await build({ entryPoints: [join(ROOT, 'bench/runtimes/sign.ts')], outfile: join(APP, 'sign.mjs'), bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', logLevel: 'silent' });
  const entry = writeEntry();
  const loadBefore = loadavg()[0]!;

  // passes[p][runtime][candidate] = median ops/s of that pass
  const passes: Record<string, Record<string, number>>[] = [];
  // Per runtime: the default entry / the resolved entry, round by round in the same process.
  const inProcess: Record<string, number[]> = {};
  const versions: Record<string, string> = {};
  const failures: Record<string, string> = {};
  for (let pass = 0; pass < PASSES; pass++) {
    const figures: Record<string, Record<string, number>> = {};
    for (const runtime of RUNTIMES) {
      progress(`runtimes: pass ${pass + 1}/${PASSES}, ${runtime.name}`);
      const exit = await runProcess(runtime.command, runtime.args(entry), { cwd: APP, timeoutMs: 180_000 });
      const report = lastJsonLine<SignReport>(exit.stdout);
      if (exit.code !== 0 || !report) {
        failures[runtime.name] = (exit.stderr || exit.stdout).trim().split('\n').slice(-3).join(' | ').slice(0, 200);
        continue;
      }
      versions[runtime.name] = report.runtime;
      figures[runtime.name] = Object.fromEntries(Object.entries(report.rounds).map(([name, rounds]) => [name, median(rounds)]));
      const resolved = Object.entries(report.rounds).find(([name]) => name.startsWith('resolved:'))?.[1];
      const fallback = Object.entries(report.rounds).find(([name]) => name.startsWith('default:'))?.[1];
      if (resolved && fallback) (inProcess[runtime.name] ??= []).push(...fallback.map((ops, i) => ops / resolved[i]!));
    }
    passes.push(figures);
  }

  const baseline = (figures: Record<string, Record<string, number>>) => figures.Node?.['resolved:node'];
  const rows: Row[] = [];
  const candidates = new Set(passes.flatMap((p) => Object.entries(p).flatMap(([runtime, c]) => Object.keys(c).map((name) => `${runtime}|${name}`))));
  for (const key of candidates) {
    const [runtime, name] = key.split('|') as [string, string];
    const ops = passes.map((p) => p[runtime]?.[name]).filter((v): v is number => v !== undefined);
    const ratios = passes.flatMap((p) => (p[runtime]?.[name] !== undefined && baseline(p) ? [p[runtime]![name]! / baseline(p)!] : []));
    const [which, signer] = name.split(':') as [string, string];
    rows.push({
      measure: `createTokenRequest, ${versions[runtime]}, ${which === 'resolved' ? "'tokensmith' as resolved" : 'default entry'} (${signer === 'node' ? 'node:crypto' : 'Web Crypto'})`,
      ours: formatCount(median(ops)),
      versus: baseline(passes[0]!) ? `Node node:crypto entry ${formatCount(median(passes.map(baseline).filter((v): v is number => v !== undefined)))}` : 'Node not measured',
      ratio: ratios.length ? formatRatio(median(ratios)) : '',
      status: 'info',
      ...(which === 'default' && inProcess[runtime]
        ? { note: `${formatRatio(median(inProcess[runtime]!))} of ${runtime}'s own resolved entry, round by round in one process` }
        : {}),
    });
  }
  for (const [runtime, why] of Object.entries(failures)) rows.push(notMeasured(`createTokenRequest on ${runtime}`, why));
  return {
    bench: 'runtimes',
    rows,
    figures: { loadAverage1m: { before: round(loadBefore), after: round(loadavg()[0]!) }, versions, defaultVsResolvedInProcess: Object.fromEntries(Object.entries(inProcess).map(([r, v]) => [r, round(median(v))])), passes: passes.map((p) => Object.fromEntries(Object.entries(p).map(([r, c]) => [r, Object.fromEntries(Object.entries(c).map(([n, v]) => [n, round(v)]))]))) },
    notes: [
      `runtimes: the packed package; in each runtime the entry it resolves and the default entry, ${ROUNDS} rounds of >= ${MIN_MS} ms interleaved in one process, median per pass; ` +
        `${PASSES} passes of Node, Bun, Deno in turn; ratios are to Node's node:crypto entry of the same pass (median over passes). Same parameters as create-token-request.`,
    ],
  };
}

if (isMain(import.meta.url)) await reportResult(run);
