import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { adminClient, DEMO_CREDENTIALS, startAuthServer, type AdminClient, type AuthServer } from '../../tokensmith-server/src/server';

export { DEMO_CREDENTIALS };

/** The repository root, where `--import tsx` resolves. */
export const ROOT = resolve(__dirname, '..', '..');

/** The local auth server with test controls, as the examples' top comments suggest running it. */
export interface LocalServer {
  server: AuthServer;
  admin: AdminClient;
  /** `METHOD path status` of each request since the last reset. */
  log(): Promise<string[]>;
}

export async function startLocalServer(): Promise<LocalServer> {
  const server = await startAuthServer({ admin: true });
  const admin = adminClient(server.url);
  return { server, admin, log: async () => (await admin.requests()).map((r) => `${r.method} ${r.path} ${r.status}`) };
}

/** Collects what an example logs instead of printing it. */
export function captureLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line: string) => void lines.push(line) };
}

/**
 * Runs an example file as a user would (`npx tsx examples/….ts`, here `node --import tsx`) with
 * `env` only, and resolves with its exit code and output.
 */
export function runExample(file: string, env: Record<string, string>, args: readonly string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', file, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
