import type { Command } from 'commander';

/** Adds the `serve` command(s) to the CLI. Placeholder until its issue lands. */
export function registerServeCommand(_program: Command): void {}
