import type { Command } from 'commander';
import { TokensmithError } from 'tokensmith';

/**
 * Parses and runs the CLI. A {@link TokensmithError} becomes one line on stderr with its code and
 * exit status 1; anything else is reported as an internal error without its stack.
 */
export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof TokensmithError) {
      process.stderr.write(`tokensmith: ${error.message} (code ${error.code})\n`);
    } else {
      process.stderr.write(`tokensmith: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exitCode = 1;
  }
}
