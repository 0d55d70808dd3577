import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const WORKER = resolve(__dirname, '../fixtures/worker.ts');
const ROOT = resolve(__dirname, '../../..');

/** What a worker printed after its calls. */
export interface WorkerResult {
  tokens: string[];
  failures: string[];
  /** When its last call settled, ms since the epoch. */
  doneAt: number;
}

/** A running worker process (see `fixtures/worker.ts`). */
export interface Worker {
  pid: number;
  /** Resolves once it is connected to Redis and waiting for `go()`. */
  ready: Promise<void>;
  /** Starts its calls. */
  go(): void;
  /** Resolves with its result when it exits; rejects if it exits without one. */
  result: Promise<WorkerResult>;
  /** SIGKILLs it. */
  kill(): void;
}

const running = new Set<() => void>();

/** SIGKILLs every worker still running; call it in `afterEach` so a failed test leaves none behind. */
export function killAllWorkers(): void {
  for (const kill of running) kill();
  running.clear();
}

/** Spawns `node --import tsx test/redis/fixtures/worker.ts` with `env` on top of this process's. */
export function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const kill = () => child.kill('SIGKILL');
  running.add(kill);
  child.once('exit', () => running.delete(kill));
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolveReady) => (markReady = resolveReady));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<WorkerResult>((resolveResult, reject) => {
    child.once('exit', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith('result '));
      if (line) resolveResult(JSON.parse(line.slice('result '.length)) as WorkerResult);
      else reject(new Error(`worker ${child.pid} exited (${code ?? signal}) without a result: ${stderr.slice(0, 2000)}`));
    });
  });
  result.catch(() => {});
  const exited = result.then(
    () => {},
    () => {},
  );
  return {
    pid: child.pid ?? -1,
    ready: Promise.race([ready, exited.then(() => Promise.reject(new Error(`worker exited before ready: ${stderr.slice(0, 2000)}`)))]),
    go: () => child.stdin.end('go\n'),
    result,
    kill,
  };
}
