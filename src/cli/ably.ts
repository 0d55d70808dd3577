import type { Command } from 'commander';

/** Adds the `ably` command(s) to the CLI. Placeholder until its issue lands. */
export function registerAblyCommands(_program: Command): void {}
