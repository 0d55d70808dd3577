import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runBenchChild } from './lib/child';
import { describeMachine, machineInfo } from './lib/machine';
import { firstLine } from './lib/optional';
import { markdownTable } from './lib/table';
import { notMeasured, type BenchResult } from './lib/types';

/**
 * `npm run bench [name…]`: runs every bench (or the named ones) one after another, each in its own
 * Node process, prints one table on stdout and writes every figure with the machine to
 * `bench/results.json` (`bench/results.local.json` for a subset, so a partial run never replaces
 * a full one; `BENCH_OUT` overrides both).
 */

const BENCHES = ['create-token-request', 'header-path', 'request-overhead', 'stampede', 'server', 'serve-spec', 'size', 'runtimes'] as const;

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(BENCHES as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  process.exit(2);
}
const selected = requested.length > 0 ? BENCHES.filter((name) => requested.includes(name)) : [...BENCHES];
const machine = machineInfo();
console.error(`tokensmith bench on ${describeMachine(machine)}`);

// Files a bench writes besides the JSON (the server's scaling chart) follow the same rule.
const childEnv = { ...process.env, ...(requested.length > 0 && !process.env.BENCH_SCALING_SVG ? { BENCH_SCALING_SVG: fileURLToPath(new URL('./server-scaling.local.svg', import.meta.url)) } : {}) };
const results: BenchResult[] = [];
const started = Date.now();
for (const name of selected) {
  console.error(`\n${name}`);
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const benchStarted = Date.now();
  try {
    results.push(await runBenchChild(file, childEnv));
  } catch (error) {
    results.push({ bench: name, rows: [notMeasured('(whole bench)', firstLine(error))], figures: {}, notes: [] });
  }
  console.error(`  ${name} took ${((Date.now() - benchStarted) / 1000).toFixed(1)} s`);
}

console.log(`\nMachine: ${describeMachine(machine)}; ${machine.date}\n`);
console.log(markdownTable(results));
const notes = results.flatMap((result) => result.notes);
if (notes.length > 0) console.log(`\n${notes.map((note) => `- ${note}`).join('\n')}`);

const out = process.env.BENCH_OUT ?? fileURLToPath(new URL(requested.length > 0 ? './results.local.json' : './results.json', import.meta.url));
const totalSeconds = (Date.now() - started) / 1000;
writeFileSync(out, `${JSON.stringify({ machine, totalSeconds, benches: selected, results }, null, 2)}\n`);
console.error(`\nwrote ${out} (${totalSeconds.toFixed(0)} s)`);
