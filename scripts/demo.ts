/**
 * `npm start`: the end-to-end walk-through against an embedded local auth server. Exits 0 when
 * every step passes, 1 with a one-line message on stderr otherwise. See scripts/demo/run.ts.
 */
import { runDemo } from './demo/run';

runDemo().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
