import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { markdownTable } from './table';
import type { BenchResult } from './types';

/**
 * Each bench runs in a fresh Node process (`node --expose-gc --import tsx bench/<name>.ts`) so
 * one bench's JIT state, heap and open handles cannot colour the next one's figures. The child
 * sends its result over the IPC channel; run alone, it prints its own table.
 */

/** Node flags every bench child runs with. */
export const BENCH_EXEC_ARGV = ['--expose-gc', '--import', 'tsx'];

interface ResultMessage {
  type: 'bench-result';
  result: BenchResult;
}

/** Runs `file` in a child process and resolves with the result it sends. */
export function runBenchChild(file: string, env: NodeJS.ProcessEnv = process.env): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const child = fork(file, [], { execArgv: BENCH_EXEC_ARGV, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: BenchResult | undefined;
    child.on('message', (message: ResultMessage) => {
      if (message?.type === 'bench-result') result = message.result;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result) resolve(result);
      else reject(new Error(`bench process ${file} exited with ${signal ?? `code ${code}`} before reporting`));
    });
  });
}

/** True when the module at `importMetaUrl` is the process's entry script. */
export function isMain(importMetaUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(importMetaUrl) === process.argv[1];
}

/**
 * Runs `bench` and reports its result: to the parent when forked by the runner, else as a table
 * on stdout. Exits the process afterwards so a stray handle cannot keep it alive.
 */
export async function reportResult(bench: () => Promise<BenchResult>): Promise<void> {
  let code = 0;
  try {
    const result = await bench();
    if (process.send) {
      await new Promise<void>((resolve) => process.send!({ type: 'bench-result', result } satisfies ResultMessage, () => resolve()));
    } else {
      console.log(markdownTable([result]));
      for (const note of result.notes) console.log(`- ${note}`);
    }
  } catch (error) {
    console.error(error);
    code = 1;
  }
  process.exit(code);
}

/** Progress for humans, on stderr so stdout stays the table. */
export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
