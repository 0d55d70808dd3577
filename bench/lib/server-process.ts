import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BENCH_EXEC_ARGV } from './child';

/** `process.memoryUsage()` of a server process after a forced GC, bytes. */
export interface ServerMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** Which server ./server-child.ts starts. */
export type ServerKind = 'tokensmith' | 'bare' | 'fastify';

/** A server running in a child process (see ./server-child.ts). */
export interface ServerProcess {
  url: string;
  /** The server process's memory now (after a GC), bytes. */
  memory(): Promise<ServerMemory>;
  /** CPU time (user + system) the server process has used so far, µs. */
  cpuMicros(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the `tokensmith` local auth server (demo config, or `config` when given), the `bare`
 * node:http server, or `spec` (`tokensmith serve --spec` on a fixture, see ./server-child.ts) in
 * its own Node process and resolves once it listens.
 */
export function startServerProcess(kind: ServerKind | 'spec', config?: object): Promise<ServerProcess> {
  const file = fileURLToPath(new URL('./server-child.ts', import.meta.url));
  const env = { ...process.env, ...(config ? { BENCH_SERVER_CONFIG: JSON.stringify(config) } : {}) };
  // stdout ignored: a server's own output must not flood the bench table.
  const child = fork(file, [kind], { execArgv: BENCH_EXEC_ARGV, env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`${kind} server exited (code ${code}) before listening`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (message: { type: string; url: string }) => {
      if (message.type !== 'ready') return;
      child.off('exit', onExit);
      resolve({ url: message.url, memory: () => askMemory(child), cpuMicros: () => ask<{ micros: number }>(child, 'cpu').then((m) => m.micros), close: () => stop(child) });
    });
  });
}

function askMemory(child: ChildProcess): Promise<ServerMemory> {
  return ask<ServerMemory & { type?: string }>(child, 'rss').then(({ type: _type, ...memory }) => memory);
}

/** Sends `{ type }` and resolves with the first answer of that type. */
function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: T & { type: string }): void => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message);
    };
    child.on('message', listener);
    child.send({ type });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.send({ type: 'close' });
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}
