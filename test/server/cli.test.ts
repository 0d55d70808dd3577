import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { LOG_LEVEL_ENV, exposureWarning } from '../../tokensmith-server/src/cli/serve';
import { DEMO_CREDENTIALS } from '../../tokensmith-server/src/server';

// The CLI runs in one node process with tsx as a loader: npm's exec wrapper dies of a SIGTERM itself
// (status 143), and tsx's own CLI relays signals to a child and, when the child's answer is slow on
// a loaded machine, exits 143 as if the server had no handler.
const TSX_LOADER = ['--import', 'tsx'];

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

function serve(args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  return cli(['serve', ...args], env);
}

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const child = spawn(process.execPath, [...TSX_LOADER, 'tokensmith-server/src/cli/main.ts', ...args], { detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** Resolves once `run`'s stderr matches `pattern` (log lines are flushed at the end of an event-loop turn). */
function stderrMatching(run: Run, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(run.stderr)) resolve(run.stderr);
    };
    run.child.stderr?.on('data', check);
    run.child.on('exit', () => reject(new Error(`exited before stderr matched ${pattern}: ${run.stderr}`)));
    check();
  });
}

/** A GET with exactly this Host header (fetch cannot set one). */
function getWithHost(url: string, path: string, host: string): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('tokensmith serve: log lines and Host names', () => {
  test('one listening line (stdout), and at the default level no line per request', async () => {
    const run = serve(['--port', '0']);
    const [first] = await run.lines();
    const url = first!.slice('listening on '.length);
    for (let i = 0; i < 3; i++) expect((await fetch(`${url}/time`)).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(`${run.stdout}${run.stderr}`.match(/listening/g)).toHaveLength(1);
    expect(run.stderr).toBe('SIGTERM: stopping\n');
  });

  test('--log-level info --log-format json: one JSON line per request on stderr, without the query', async () => {
    const run = serve(['--port', '0', '--log-level', 'info', '--log-format', 'json']);
    const [first] = await run.lines();
    const url = first!.slice('listening on '.length);
    await fetch(`${url}/time?key=${encodeURIComponent(DEMO_CREDENTIALS.ablyKey)}`);
    await fetch(`${url}/channels/x/messages`);
    await stderrMatching(run, /"status":401/);
    const lines = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { level: 'info', time: expect.any(Number), msg: 'request', method: 'GET', path: '/time', status: 200, durationMs: expect.any(Number) },
      { level: 'info', time: expect.any(Number), msg: 'request', method: 'GET', path: '/channels/x/messages', status: 401, durationMs: expect.any(Number) },
    ]);
    expect(run.stderr).not.toContain(DEMO_CREDENTIALS.ablyKey.split(':')[1]);
  });

  test(`${LOG_LEVEL_ENV}=info gives text lines; the flag wins over the variable`, async () => {
    const run = serve(['--port', '0'], { ...process.env, [LOG_LEVEL_ENV]: 'info' });
    const url = (await run.lines())[0]!.slice('listening on '.length);
    await fetch(`${url}/time`);
    expect(await stderrMatching(run, /\n/)).toMatch(/^info request method=GET path=\/time status=200 durationMs=[\d.]+\n$/);
    const quiet = serve(['--port', '0', '--log-level', 'error'], { ...process.env, [LOG_LEVEL_ENV]: 'info' });
    const quietUrl = (await quiet.lines())[0]!.slice('listening on '.length);
    await fetch(`${quietUrl}/time`);
    quiet.child.kill('SIGTERM');
    expect(await quiet.exit).toBe(0);
    expect(quiet.stderr).toBe('SIGTERM: stopping\n');
  });

  test.each([
    [['--log-level', 'loud'], '--log-level'],
    [['--log-format', 'xml'], '--log-format'],
    [['--allowed-host', 'http://dev.example.test'], '--allowed-host'],
  ])('%j exits non-zero naming the flag', async (args, flag) => {
    const run = serve(['--port', '0', ...args]);
    expect(await run.exit).not.toBe(0);
    expect(run.stderr).toContain(flag);
  });

  test('--allowed-host: that name is answered, other names get 403', async () => {
    const run = serve(['--port', '0', '--admin', '--allowed-host', 'dev.example.test']);
    const url = (await run.lines())[0]!.slice('listening on '.length);
    expect(await getWithHost(url, '/_admin/requests', 'dev.example.test')).toBe(200);
    expect(await getWithHost(url, '/_admin/requests', 'evil.example')).toBe(403);
  });
});

describe('tokensmith --version', () => {
  const { version } = JSON.parse(readFileSync(join(process.cwd(), 'tokensmith-server', 'package.json'), 'utf8')) as { version: string };

  test.each([['--version'], ['-V']])('%s prints the version of tokensmith-server and exits 0', async (flag) => {
    const run = cli([flag]);
    expect(await run.exit).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });
});

describe('tokensmith serve: what a new user gets wrong', () => {
  let occupied: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (occupied ? occupied.close(() => resolve()) : resolve())));

  test('a port in use exits 1 naming the address and the flag that fixes it', async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied!.listen(0, '127.0.0.1', resolve));
    const { port } = occupied.address() as AddressInfo;
    const run = serve(['--port', String(port)]);
    expect(await run.exit).toBe(1);
    expect(run.stderr).toContain(`tokensmith: address 127.0.0.1:${port} is in use (try --port 0) (code 40003)\n`);
    expect(run.stderr).not.toContain('unexpected error');
  });

  test('a missing --config file exits 1 naming its path', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tokensmith-cli-')), 'no-such-config.json');
    const run = serve(['--port', '0', '--config', path]);
    expect(await run.exit).toBe(1);
    expect(run.stderr).toBe(`tokensmith: config file ${JSON.stringify(path)} does not exist (code 40003)\n`);
  });

  // 192.0.2.1 is reserved for documentation (TEST-NET-1): no machine has it, so nothing is exposed
  // while the test sees the warning printed before listening, then the refusal.
  test('--admin on a host other than loopback prints a loud warning first', async () => {
    const run = serve(['--host', '192.0.2.1', '--port', '0', '--admin']);
    expect(await run.exit).toBe(1);
    expect(run.stderr).toMatch(/^!{20,}\nWARNING: listening on 192\.0\.2\.1, which other machines may reach/);
    expect(run.stderr).toContain('the test controls (--admin)');
    expect(run.stderr).toContain('the demo credentials are public');
    expect(run.stderr).toContain('tokensmith: address 192.0.2.1:0 is not an address of this machine (try --host 127.0.0.1) (code 40003)');
    expect(run.stdout).toBe('');
  });

  test.each([
    ['127.0.0.1', true, undefined],
    ['localhost', true, undefined],
    ['::1', true, undefined],
    ['127.0.0.2', true, undefined],
    ['0.0.0.0', false, 'config.json'],
  ])('no warning for host %s (admin %s, config %s)', (host, admin, config) => {
    expect(exposureWarning({ host, admin, ...(config === undefined ? {} : { config }) })).toBeUndefined();
  });

  test.each([
    ['0.0.0.0', true, 'config.json', ['--admin'], ['demo credentials']],
    ['::', false, undefined, ['demo credentials'], ['--admin']],
    ['10.1.2.3', true, undefined, ['--admin', 'demo credentials'], []],
  ])('host %s (admin %s, config %s) warns of what is exposed', (host, admin, config, named, unnamed) => {
    const warning = exposureWarning({ host, admin, ...(config === undefined ? {} : { config }) }) ?? '';
    expect(warning).toContain(`WARNING: listening on ${host}`);
    for (const risk of named) expect(warning).toContain(risk);
    for (const risk of unnamed) expect(warning).not.toContain(risk);
  });
});
