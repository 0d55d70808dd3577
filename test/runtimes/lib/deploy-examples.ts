import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { checkRecorder, type CheckResult, type HarnessReport } from '../checks';
import { QUIET_RUNTIME_ENV } from '../../../scripts/lib/exec';
import { bundleFor, packedTokensmith } from './bundle';

/**
 * The deploy examples (`examples/cloudflare-worker/`, `examples/deno/`) built from the packed
 * package and run in their runtime: a signed-in user gets a TokenRequest the local server
 * exchanges for a token bound to that user; no user gets 401.
 */

type Fetch = (path: string, headers?: Record<string, string>) => Promise<Response>;

async function endpointChecks(fetchEndpoint: Fetch, ablyUrl: string): Promise<CheckResult[]> {
  const { results, check } = checkRecorder((error) => (error instanceof Error ? error.message : String(error)));
  await check('a signed-in user gets a TokenRequest the server exchanges for their token', async () => {
    const answer = await fetchEndpoint('/ably/token', { 'x-demo-user': 'edge-alice' });
    if (answer.status !== 200 || answer.headers.get('cache-control') !== 'no-store') throw new Error(`endpoint answered ${answer.status}, cache-control ${answer.headers.get('cache-control')}`);
    const tokenRequest = (await answer.json()) as { keyName: string; clientId: string };
    const exchanged = await fetch(`${ablyUrl}/keys/${tokenRequest.keyName}/requestToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(tokenRequest) });
    const details = (await exchanged.json()) as { token?: string; clientId?: string };
    if (exchanged.status !== 200 || !details.token || details.clientId !== 'edge-alice') throw new Error(`exchange answered ${exchanged.status}: ${JSON.stringify(details)}`);
  });
  await check('no user: 401', async () => {
    const answer = await fetchEndpoint('/ably/token');
    await answer.arrayBuffer();
    if (answer.status !== 401) throw new Error(`endpoint answered ${answer.status}`);
  });
  return results;
}

/** `examples/cloudflare-worker/worker.ts` in workerd, its key as a binding. */
export async function checkWorkerExample(root: string, appDir: string, ablyUrl: string, key: string): Promise<HarnessReport> {
  const script = join(appDir, 'example-worker.js');
  await bundleFor('workerd', join(root, 'examples/cloudflare-worker/worker.ts'), script, [packedTokensmith(appDir)]);
  const mf = new Miniflare({ modules: true, scriptPath: script, compatibilityDate: '2026-03-01', bindings: { ABLY_KEY: key } });
  try {
    const fetchEndpoint: Fetch = async (path, headers = {}) => (await mf.dispatchFetch(`http://worker.test${path}`, { headers })) as unknown as Response;
    return { runtime: 'workerd', signer: 'web', results: await endpointChecks(fetchEndpoint, ablyUrl) };
  } finally {
    await mf.dispose();
  }
}

/** `examples/deno/server.ts` in Deno with only the permissions its comment asks for, on a free port. */
export async function checkDenoExample(root: string, appDir: string, deno: string, ablyUrl: string, key: string): Promise<HarnessReport> {
  const script = join(appDir, 'example-deno-server.mjs');
  const { build } = await import('esbuild');
  // Bundled for Deno the way Deno resolves npm packages: the `deno` and `node` conditions.
  await build({ entryPoints: [join(root, 'examples/deno/server.ts')], outfile: script, bundle: true, format: 'esm', platform: 'node', conditions: ['deno', 'node'], external: ['node:*'], plugins: [packedTokensmith(appDir)], logLevel: 'silent' });
  const child = spawn(deno, ['run', '--allow-net=127.0.0.1', '--allow-env=ABLY_KEY,PORT', script], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ABLY_KEY: key, PORT: '0', ...QUIET_RUNTIME_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`no listening line in 60 s: ${output.slice(-300)}`)), 60_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /token endpoint: (http:\/\/[^\s]+)\/ably\/token/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', (code) => reject(new Error(`deno exited ${code}: ${output.slice(-300)}`)));
    });
    const fetchEndpoint: Fetch = (path, headers = {}) => fetch(`${base}${path}`, { headers });
    return { runtime: 'Deno', signer: 'node', results: await endpointChecks(fetchEndpoint, ablyUrl) };
  } finally {
    child.kill('SIGTERM');
  }
}
