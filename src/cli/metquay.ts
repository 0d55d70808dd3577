import type { Command } from 'commander';

/** Adds the `metquay` command(s) to the CLI. Placeholder until its issue lands. */
export function registerMetquayCommands(_program: Command): void {}
