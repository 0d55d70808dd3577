import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { METQUAY_LIKE } from './helpers';

// Real processes on loopback: `tokensmith serve --spec` and Stoplight Prism 5.x (`prism mock`) on
// the same spec, called with the same forged token. Each is started in its own process group,
// given a bounded time to listen, and killed afterwards.
const TSX_CLI = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
const PRISM_CLI = join(process.cwd(), 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
const START_TIMEOUT_MS = 45_000;

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) killGroup(child);
});

/** Kills the child's whole process group (Prism starts workers of its own); gone already is fine. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already exited
  }
}

function start(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output, exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `url` until it answers (any status), within START_TIMEOUT_MS. */
async function whenListening(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      await (await fetch(url, { signal: AbortSignal.timeout(1_000) })).arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${url} did not answer within ${START_TIMEOUT_MS} ms`);
}

const FORGED = { authorization: 'Bearer forged.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl' };

describe('the same forged token: Prism 5 accepts it, tokensmith serve --spec refuses it', () => {
  test('GET /customers with a forged bearer token: Prism 200, tokensmith 401 invalid_token', async () => {
    const [prismPort, ourPort] = [await freePort(), await freePort()];
    const prism = start([PRISM_CLI, 'mock', '-h', '127.0.0.1', '-p', String(prismPort), METQUAY_LIKE]);
    const ours = start([TSX_CLI, 'tokensmith-server/src/cli/main.ts', 'serve', '--spec', METQUAY_LIKE, '--port', String(ourPort)]);
    // Prism serves the paths at its root; tokensmith under the spec's server path, /api/v1.
    await Promise.all([whenListening(`http://127.0.0.1:${prismPort}/`), whenListening(`http://127.0.0.1:${ourPort}/`)]);
    const prismAnswer = await fetch(`http://127.0.0.1:${prismPort}/customers`, { headers: FORGED });
    const ourAnswer = await fetch(`http://127.0.0.1:${ourPort}/api/v1/customers`, { headers: FORGED });
    const comparison = {
      prism: prismAnswer.status,
      tokensmith: ourAnswer.status,
      tokensmithChallenge: ourAnswer.headers.get('www-authenticate'),
    };
    expect(comparison).toEqual({ prism: 200, tokensmith: 401, tokensmithChallenge: 'Bearer error="invalid_token", error_description="the token was not issued by this server"' });
    // Both refuse a request with no token at all: the one case Prism checks.
    expect((await fetch(`http://127.0.0.1:${prismPort}/customers`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${ourPort}/api/v1/customers`)).status).toBe(401);
    killGroup(prism.child);
    ours.child.kill('SIGTERM');
    expect(await ours.exit).toBe(0);
  }, 90_000);
});

describe('tokensmith serve --spec (CLI)', () => {
  test('a spec it cannot serve: one line on stderr naming the problem, exit 1', async () => {
    const run = start([TSX_CLI, 'tokensmith-server/src/cli/main.ts', 'serve', '--spec', join(process.cwd(), 'package.json')]);
    expect(await run.exit).toBe(1);
    const lines = run.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tokensmith: .*package\.json.*OpenAPI.* \(code 40003\)$/);
  }, 30_000);

  test('--stateful without --spec is refused', async () => {
    const run = start([TSX_CLI, 'tokensmith-server/src/cli/main.ts', 'serve', '--stateful']);
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain('--stateful needs --spec FILE');
  }, 30_000);
});
