import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CREDENTIALS } from '../../tokensmith-server/src/server';

// `npx tsx …` resolves to tsx's CLI; it is spawned directly because npm's exec wrapper dies of the
// SIGTERM itself (status 143) instead of passing it through `sh -c` to the server.
const TSX_CLI = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with stdout's lines once stdout contains `text` (default: one full line). */
  lines(text?: string): Promise<string[]>;
  exit: Promise<number | null>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
});

function serve(args: string[]): Run {
  const child = spawn(process.execPath, [TSX_CLI, 'tokensmith-server/src/cli/main.ts', 'serve', ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    lines: (text = '\n') =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (run.stdout.includes(text)) resolve(run.stdout.split('\n'));
        };
        child.stdout?.on('data', check);
        child.on('exit', () => (run.stdout.includes(text) ? check() : reject(new Error(`exited early: ${run.stderr}`))));
        check();
      }),
  };
  child.stdout?.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  return run;
}

describe('tokensmith serve', () => {
  test('prints "listening on" with the real port first, serves, and exits 0 on SIGTERM', async () => {
    const run = serve(['--port', '0']);
    const [first] = await run.lines();
    expect(first).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = first!.slice('listening on '.length);
    expect(Number(new URL(url).port)).toBeGreaterThan(0);
    const time = await fetch(`${url}/time`);
    expect(time.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  test('without --config the demo credentials follow the first line; SIGINT also exits 0', async () => {
    const run = serve(['--port', '0', '--admin']);
    const lines = await run.lines('test controls:');
    expect(lines[0]).toMatch(/^listening on /);
    expect(run.stdout).toContain(DEMO_CREDENTIALS.ablyKey);
    expect(run.stdout).toContain(DEMO_CREDENTIALS.metquaySecretKey);
    expect(run.stdout).toContain('/_admin');
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });

  test('with --config it serves that config and prints no demo credentials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokensmith-cli-'));
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ ably: { keys: [{ key: 'cli.key:cli-secret-0123456789abcdef' }] } }));
    const run = serve(['--port', '0', '--config', path]);
    const [first] = await run.lines();
    const url = first!.slice('listening on '.length);
    const response = await fetch(`${url}/channels/x/messages`, { headers: { authorization: `Basic ${Buffer.from('cli.key:cli-secret-0123456789abcdef').toString('base64')}` } });
    expect(response.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stdout).not.toContain('demo credentials');
    expect(run.stdout + run.stderr).not.toContain('cli-secret');
  });

  test('an invalid config exits 1 naming the field, without the secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokensmith-cli-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ ably: { keys: [{ key: 'no-app-id:bad-secret-0123456789' }] } }));
    const run = serve(['--port', '0', '--config', path]);
    expect(await run.exit).toBe(1);
    expect(run.stderr).toContain('ably.keys[0].key');
    expect(run.stderr).not.toContain('bad-secret');
  });

  test('an invalid --port exits non-zero with a message', async () => {
    const run = serve(['--port', 'eighty']);
    expect(await run.exit).not.toBe(0);
    expect(run.stderr).toContain('--port');
  });
});
