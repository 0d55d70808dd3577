/**
 * `npm run test:runtimes`: the packed package on every runtime it claims — Node 20 (both entries),
 * Bun, Deno, workerd (through miniflare) and headless Chromium — against the local auth server
 * running here in Node on loopback. Every runtime runs the same checks (`checks.ts`); Chromium also
 * loads `examples/browser/` and a screenshot of it is saved under test-results/runtimes/.
 * Exits 1 if any runtime fails any check or cannot start.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createTokenHandler, startTokenServer } from '../../examples/ably-token-server';
import { startBrowserExample } from '../../examples/browser/server';
import { DEMO_CREDENTIALS, startAuthServer } from '../../tokensmith-server/src/server';
import { httpControls, type CheckConfig, type CheckResult, type HarnessReport } from './checks';
import { checkBrowserExample } from './lib/browser-example';
import { checkDenoExample, checkWorkerExample } from './lib/deploy-examples';
import { launchChromium, runInChromium } from './lib/browser';
import { bundleFor, packedTokensmith } from './lib/bundle';
import { lastJsonLine, run } from '../../scripts/lib/exec';
import { ensureBuild, installPackedPackage } from '../../scripts/lib/packed-package';
import { runInWorkerd } from './lib/workerd';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const OUT = join(ROOT, 'test-results', 'runtimes');
const APP = join(OUT, 'app');
const BIN = join(ROOT, 'node_modules', '.bin');
const RUNTIME_TIMEOUT_MS = 120_000;

interface Outcome {
  runtime: string;
  version: string;
  entry: string;
  results: CheckResult[];
  seconds: number;
  failure?: string;
}

const outcomes: Outcome[] = [];
const started = Date.now();
mkdirSync(OUT, { recursive: true });

function fixedInputs(key: string): CheckConfig['fixed'] {
  const params = { ttl: 3_600_000, capability: { 'chat:*': ['subscribe', 'publish'], status: ['subscribe'] }, clientId: 'runtime-check', timestamp: 1_700_000_000_000, nonce: 'runtimecheck0001' };
  // Written out by hand (sorted operations, no spaces), not with the library's own helpers.
  const text = `${key.split(':')[0]}\n3600000\n{"chat:*":["publish","subscribe"],"status":["subscribe"]}\nruntime-check\n1700000000000\nruntimecheck0001\n`;
  return { params, mac: createHmac('sha256', key.split(':')[1]!).update(text, 'utf8').digest('base64') };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function timed(runtime: string, version: string, entry: string, body: () => Promise<HarnessReport>): Promise<void> {
  const t0 = Date.now();
  process.stderr.write(`  ${runtime} (${entry})…\n`);
  try {
    const report = await body();
    outcomes.push({ runtime, version: version || report.runtime, entry: `${entry}, ${report.signer} signer`, results: report.results, seconds: (Date.now() - t0) / 1000 });
  } catch (error) {
    outcomes.push({ runtime, version, entry, results: [], seconds: (Date.now() - t0) / 1000, failure: error instanceof Error ? error.message : String(error) });
  }
}

/** Runs a generated entry file in a server runtime and reads the report it prints. */
async function runProcess(command: string, args: string[]): Promise<HarnessReport> {
  // No METQUAY_* from this shell: a check expects the credentials to be missing.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('METQUAY_')));
  const exit = await run(command, args, { cwd: APP, timeoutMs: RUNTIME_TIMEOUT_MS, env });
  const report = lastJsonLine<HarnessReport & { loadedFrom: string }>(exit.stdout);
  if (exit.code !== 0 || !report) {
    const why = exit.timedOut ? `timed out after ${RUNTIME_TIMEOUT_MS} ms` : `exited ${exit.code ?? exit.signal}`;
    throw new Error(`${why}: ${(exit.stderr || exit.stdout).trim().split('\n').slice(-8).join(' | ')}`);
  }
  // The packed package, not the repository's sources through a tsconfig `paths` mapping.
  if (!fileURLToPath(report.loadedFrom).startsWith(join(APP, 'node_modules', 'tokensmith', 'dist'))) throw new Error(`loaded tokensmith from ${report.loadedFrom}, not the packed package`);
  return report;
}

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0]!;
  } catch {
    return 'not installed';
  }
}

// 1. The package as published, and the check harness bundled beside it.
ensureBuild(ROOT);
process.stderr.write('runtime matrix: packing the build\n');
installPackedPackage(ROOT, APP);
await build({ entryPoints: [join(ROOT, 'test/runtimes/checks.ts')], outfile: join(APP, 'checks.mjs'), bundle: true, format: 'esm', target: 'es2022', platform: 'neutral', logLevel: 'silent' });

// 2. The local auth server and the example token endpoint, in Node on loopback.
const server = await startAuthServer({ admin: true });
const tokenServer = await startTokenServer({ key: DEMO_CREDENTIALS.ablyKey, baseUrl: server.url, port: 0 });
const baseConfig = {
  ablyUrl: server.url,
  metquayUrl: `${server.url}/api/v1`,
  authUrl: tokenServer.authUrl,
  ablyKey: DEMO_CREDENTIALS.ablyKey,
  metquayAccessKey: DEMO_CREDENTIALS.metquayAccessKey,
  metquaySecretKey: DEMO_CREDENTIALS.metquaySecretKey,
  fixed: fixedInputs(DEMO_CREDENTIALS.ablyKey),
};
const configFor = (channelPrefix: string): CheckConfig => ({ ...baseConfig, channelPrefix });
const controls = httpControls(baseConfig);

/** Imports of the default entry and `tokensmith/client`, merged as `lib` (what checks.ts takes). */
const libImports = (specifier: string, clientSpecifier: string): string =>
  `import * as core from ${JSON.stringify(specifier)};\nimport * as client from ${JSON.stringify(clientSpecifier)};\nconst lib = { ...core, ...client };\n`;

/** An entry for Node, Bun or Deno: imports the package by `specifier` (its client by `clientSpecifier`), prints one JSON report. */
function serverEntry(name: string, specifier: string, clientSpecifier: string, channelPrefix: string): string {
  const file = join(APP, `${name}.mjs`);
  writeFileSync(
    file,
    libImports(specifier, clientSpecifier) +
      `import { runHarness, httpControls } from './checks.mjs';\n` +
      `const config = ${JSON.stringify(configFor(channelPrefix))};\n` +
      `const report = await runHarness(lib, config, httpControls(config));\n` +
      `console.log(JSON.stringify({ ...report, loadedFrom: import.meta.resolve(${JSON.stringify(specifier)}) }));\n`,
  );
  return file;
}
const DEFAULT_ENTRY_FILE = './node_modules/tokensmith/dist/index.js';
const DEFAULT_CLIENT_FILE = './node_modules/tokensmith/dist/client.js';

try {
  // 3. Node, both entries; Bun and Deno with the entry they resolve, and the default one.
  const nodeVersion = `Node ${process.versions.node}`;
  await timed('Node', nodeVersion, "'tokensmith' (node condition)", () => runProcess(process.execPath, [serverEntry('node-resolved', 'tokensmith', 'tokensmith/client', 'node')]));
  await timed('Node', nodeVersion, 'default entry (dist/index.js)', () => runProcess(process.execPath, [serverEntry('node-default', DEFAULT_ENTRY_FILE, DEFAULT_CLIENT_FILE, 'node-web')]));
  const bunVersion = `Bun ${version(join(BIN, 'bun'), ['--version'])}`;
  await timed('Bun', bunVersion, "'tokensmith' as Bun resolves it", () => runProcess(join(BIN, 'bun'), [serverEntry('bun-resolved', 'tokensmith', 'tokensmith/client', 'bun')]));
  await timed('Bun', bunVersion, 'default entry (dist/index.js)', () => runProcess(join(BIN, 'bun'), [serverEntry('bun-default', DEFAULT_ENTRY_FILE, DEFAULT_CLIENT_FILE, 'bun-web')]));
  const denoVersion = version(join(BIN, 'deno'), ['--version']).replace(/^deno/, 'Deno').replace(/ \(.*/, '');
  // Deno: network to loopback and reading the app only; no env, no subprocess, no FFI.
  const denoArgs = (file: string) => ['run', '--allow-net=127.0.0.1', `--allow-read=${APP},${join(ROOT, 'node_modules')}`, file];
  await timed('Deno', denoVersion, "'tokensmith' as Deno resolves it", () => runProcess(join(BIN, 'deno'), denoArgs(serverEntry('deno-resolved', 'tokensmith', 'tokensmith/client', 'deno'))));
  await timed('Deno', denoVersion, 'default entry (dist/index.js)', () => runProcess(join(BIN, 'deno'), denoArgs(serverEntry('deno-default', DEFAULT_ENTRY_FILE, DEFAULT_CLIENT_FILE, 'deno-web'))));

  // 4. workerd: bundled the way wrangler bundles (workerd/worker/browser conditions), no nodejs_compat.
  const workerdVersion = version(join(BIN, 'workerd'), ['--version']).replace(/^workerd/, 'workerd');
  await timed('workerd', workerdVersion, "'tokensmith' (workerd, worker, browser conditions)", async () => {
    const entry = join(APP, 'worker-entry.mjs');
    writeFileSync(
      entry,
      libImports('tokensmith', 'tokensmith/client') +
        `import { runHarness, httpControls } from './checks.mjs';\n` +
        `export default { async fetch(request) { const config = await request.json(); return Response.json(await runHarness(lib, config, httpControls(config))); } };\n`,
    );
    await bundleFor('workerd', entry, join(APP, 'worker.js'));
    return runInWorkerd(join(APP, 'worker.js'), configFor('workerd'));
  });

  await timed('workerd', workerdVersion, 'examples/cloudflare-worker (wrangler-style bundle)', () => checkWorkerExample(ROOT, APP, server.url, DEMO_CREDENTIALS.ablyKey));
  await timed('Deno', denoVersion, 'examples/deno/server.ts', () => checkDenoExample(ROOT, APP, join(BIN, 'deno'), server.url, DEMO_CREDENTIALS.ablyKey));

  // 5. Chromium: the checks in a page, then the browser example as a person would see it.
  const chromiumVersion = version(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version']);
  let chromiumReady: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const pageServer = createServer();
  try {
    await timed('Chromium', chromiumVersion, "'tokensmith' (browser condition), esbuild", async () => {
      const entry = join(APP, 'page-entry.mjs');
      writeFileSync(
        entry,
        libImports('tokensmith', 'tokensmith/client') +
        `import { runHarness } from './checks.mjs';\n` +
          `window.runTokensmithChecks = (config) => runHarness(lib, config, { expireAblyTokens: () => window.expireAblyTokens(), expireMetquayTokens: () => window.expireMetquayTokens() });\n`,
      );
      await bundleFor('browser', entry, join(APP, 'page.js'));
      const pageScript = readFileSync(join(APP, 'page.js'), 'utf8');
      const pageBase = await listen(pageServer);
      // The page's own origin serves the example token handler, so its authUrl is same-origin.
      const tokens = createTokenHandler({ key: DEMO_CREDENTIALS.ablyKey, baseUrl: server.url });
      pageServer.on('request', (request, response) => {
        if (request.url === '/') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>checks</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>');
        if (request.url === '/page.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(pageScript);
        tokens(request, response);
      });
      chromiumReady = await launchChromium();
      const report = await runInChromium(chromiumReady.context, `${pageBase}/`, { ...configFor('chromium'), authUrl: `${pageBase}/ably/token` }, controls);
      if (report.results.some((result) => !result.ok)) process.stderr.write(`    page said: ${report.pageErrors.join(' | ')}\n`);
      return report;
    });
    await timed('Chromium', chromiumVersion, 'examples/browser (esbuild, packed package)', async () => {
      chromiumReady ??= await launchChromium();
      const example = await startBrowserExample({ key: DEMO_CREDENTIALS.ablyKey, ablyBaseUrl: server.url, port: 0, plugins: [packedTokensmith(APP)] });
      try {
        return await checkBrowserExample(chromiumReady.context, example.url, join(OUT, 'browser-example.png'));
      } finally {
        await example.close();
      }
    });
  } finally {
    await chromiumReady?.close();
    pageServer.close();
    pageServer.closeAllConnections();
  }
} finally {
  await tokenServer.close();
  await server.close();
}

// 6. The report.
const rows = outcomes.map((o) => {
  const failed = o.results.filter((r) => !r.ok);
  const status = o.failure ? `FAILED: ${o.failure}` : failed.length > 0 ? `FAILED: ${failed.map((r) => `${r.name}: ${r.error}`).join('; ')}` : `${o.results.length}/${o.results.length} passed`;
  return `| ${o.runtime} | ${o.version} | ${o.entry} | ${status} | ${o.seconds.toFixed(1)} s |`;
});
console.log(['', '| runtime | version | entry | checks | time |', '|---|---|---|---|---|', ...rows].join('\n'));
const failures = outcomes.filter((o) => o.failure || o.results.some((r) => !r.ok) || o.results.length === 0);
console.log(`\nruntime matrix: ${outcomes.length - failures.length} of ${outcomes.length} runtime runs passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
writeFileSync(join(OUT, 'report.json'), `${JSON.stringify(outcomes, null, 2)}\n`);
process.exit(failures.length > 0 ? 1 : 0);

