import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerProcess } from './server-process';

/**
 * `tokensmith serve` started the way a user starts it: the CLI entry in its own process
 * (`node --import tsx tokensmith-server/src/cli/main.ts serve --port 0 …`), its demo config, its
 * logger at the level the arguments give, its stderr going to a file as `2> server.log` would.
 * The CPU figure comes from /proc (Linux): the CLI has no IPC channel to ask. `checkout` is the
 * repository whose CLI runs (default this one; another checkout, with its own `node_modules` and
 * build, to compare two versions in one rotation).
 */
export async function startCliServer(args: readonly string[], checkout?: string): Promise<ServerProcess & { logBytes(): number }> {
  if (process.platform !== 'linux') throw new Error('the CLI server rows read CPU time from /proc (Linux only)');
  const cli = checkout === undefined ? fileURLToPath(new URL('../../tokensmith-server/src/cli/main.ts', import.meta.url)) : path.join(checkout, 'tokensmith-server/src/cli/main.ts');
  const logFile = path.join(os.tmpdir(), `tokensmith-bench-serve-${process.pid}-${Date.now()}.log`);
  const stderr = openSync(logFile, 'w');
  // The level comes from the arguments alone, not from a variable the caller happens to have set.
  const { TOKENSMITH_LOG_LEVEL: _level, TOKENSMITH_LOG_FORMAT: _format, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', stderr], env, ...(checkout === undefined ? {} : { cwd: checkout }) });
  closeSync(stderr);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^listening on (\S+)$/m.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`tokensmith serve exited (code ${code}) before listening: ${readFileSync(logFile, 'utf8').slice(0, 500)}`)));
  });
  child.stdout!.resume();
  const ticksPerSecond = 100; // USER_HZ on Linux
  return {
    url,
    cpuMicros: async () => {
      // /proc/<pid>/stat: utime and stime are fields 14 and 15, after the parenthesised name.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
    },
    memory: () => Promise.reject(new Error('not measured for the CLI server')),
    logBytes: () => readFileSync(logFile).length,
    close: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(logFile, { force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
