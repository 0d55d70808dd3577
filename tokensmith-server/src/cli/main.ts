#!/usr/bin/env node
import { Command } from 'commander';
import { registerAblyCommands } from './ably';
import { registerMetquayCommands } from './metquay';
import { registerServeCommand } from './serve';
import { runCli } from './run';

const program = new Command('tokensmith')
  .description('Token auth for Ably-compatible and Metquay-style APIs, and a local auth server to test against.')
  .showHelpAfterError();

registerServeCommand(program);
registerAblyCommands(program);
registerMetquayCommands(program);

void runCli(program, process.argv);
