import { spawn } from 'node:child_process';

/** What a child process printed and how it ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const MAX_OUTPUT = 1 << 20;

/**
 * Environment for Bun and Deno children: no update checks or telemetry, so nothing they do leaves
 * loopback.
 */
export const QUIET_RUNTIME_ENV = { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', DO_NOT_TRACK: '1' } as const;

/** Runs `command` with a time limit (then SIGKILL), output capped at 1 MiB per stream. */
export function run(command: string, args: readonly string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...(options.env ?? process.env), ...QUIET_RUNTIME_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (stdout.length < MAX_OUTPUT && (stdout += chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr.length < MAX_OUTPUT && (stderr += chunk)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** The last line of `stdout` that parses as JSON, or undefined. */
export function lastJsonLine<T>(stdout: string): T | undefined {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      return JSON.parse(line) as T;
    } catch {
      // not the report line
    }
  }
  return undefined;
}
