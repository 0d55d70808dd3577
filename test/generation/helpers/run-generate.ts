/**
 * Runs generateClient for each job in the JSON file given as argument and prints one JSON array of
 * outcomes. A child process because openapi-typescript is ESM-only below, which jest's CommonJS
 * runtime cannot load; one process for many jobs keeps the tsx start-up to one.
 */
import { readFileSync } from 'node:fs';
import { GenerateError, generateClient, type GenerateClientOptions, type UnsupportedOperation } from '../../../tokensmith-server/src/generate';

export type GenerateJob = GenerateClientOptions;
export type GenerateOutcome =
  | { ok: true; written: string[]; unsupported: UnsupportedOperation[] }
  | { ok: false; typed: boolean; name: string; code?: number; reason?: string; message: string };

const jobs = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as GenerateJob[];
const outcomes: GenerateOutcome[] = [];
for (const job of jobs) {
  try {
    outcomes.push({ ok: true, ...(await generateClient(job)) });
  } catch (error) {
    const typed = error instanceof GenerateError;
    outcomes.push({
      ok: false,
      typed,
      name: error instanceof Error ? error.name : typeof error,
      message: error instanceof Error ? error.message : String(error),
      ...(typed ? { code: error.code, reason: error.reason } : {}),
    });
  }
}
process.stdout.write(JSON.stringify(outcomes));
