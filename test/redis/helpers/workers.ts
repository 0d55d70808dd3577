import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const WORKER = 'test/redis/fixtures/worker.ts';

/** What a worker printed after one round of calls. */
export interface WorkerResult {
  tokens: string[];
  failures: string[];
  /** Each call's wait, in ms. */
  waitsMs: number[];
  /** When its last call settled, ms since the epoch. */
  doneAt: number;
  /** Round trips to Redis during the round, with `COUNT_COMMANDS=1`. */
  redisCommands: number;
}

/** A running worker process (see `fixtures/worker.ts`). */
export interface Worker {
  pid: number;
  /** Resolves once it is connected to Redis and waiting for `go()`. */
  ready: Promise<void>;
  /** Starts a round of calls; resolves with its result, rejects if the worker exits first. */
  go(): Promise<WorkerResult>;
  /** Closes its stdin so it exits; resolves when it has. */
  end(): Promise<void>;
  /** SIGKILLs it. */
  kill(): void;
}

const running = new Set<() => void>();

/** SIGKILLs every worker still running; call it in `afterEach` so a failed test leaves none behind. */
export function killAllWorkers(): void {
  for (const kill of running) kill();
  running.clear();
}

/**
 * Spawns `node --import tsx test/redis/fixtures/worker.ts` with `env` on top of this process's.
 * `root` is the repository root (given by callers that run as ES modules, without `__dirname`).
 */
export function startWorker(env: Record<string, string>, root = resolve(__dirname, '../../..')): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, WORKER)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const kill = () => child.kill('SIGKILL');
  running.add(kill);
  let stderr = '';
  let buffered = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolveReady) => (markReady = resolveReady));
  const pending: Array<{ resolve: (result: WorkerResult) => void; reject: (error: Error) => void }> = [];
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', (code, signal) => {
      running.delete(kill);
      for (const waiter of pending.splice(0)) {
        waiter.reject(new Error(`worker ${child.pid} exited (${code ?? signal}) without a result: ${stderr.slice(0, 2000)}`));
      }
      resolveExit();
    });
  });
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line === 'ready') markReady();
      else if (line.startsWith('result ')) pending.shift()?.resolve(JSON.parse(line.slice('result '.length)) as WorkerResult);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on('error', () => {}); // writing to a killed worker
  return {
    pid: child.pid ?? -1,
    ready: Promise.race([ready, exited.then(() => Promise.reject(new Error(`worker exited before ready: ${stderr.slice(0, 2000)}`)))]),
    go: () =>
      new Promise<WorkerResult>((resolveResult, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          reject(new Error(`worker ${child.pid} exited (${child.exitCode ?? child.signalCode}) without a result: ${stderr.slice(0, 2000)}`));
          return;
        }
        pending.push({ resolve: resolveResult, reject });
        child.stdin.write('go\n');
      }),
    end: async () => {
      child.stdin.end();
      await exited;
    },
    kill,
  };
}
