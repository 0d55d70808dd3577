#!/usr/bin/env node
import { Command } from 'commander';
import { version } from '../../package.json';
import { registerAblyCommands } from './ably';
import { registerGenerateCommand } from './generate';
import { registerMetquayCommands } from './metquay';
import { registerServeCommand } from './serve';
import { runCli } from './run';

const program = new Command('tokensmith')
  .description('Token auth for Ably-compatible and Metquay-style APIs, and a local auth server to test against.')
  .version(version, '-V, --version', 'print the version of tokensmith-server')
  .showHelpAfterError();

registerServeCommand(program);
registerAblyCommands(program);
registerMetquayCommands(program);
registerGenerateCommand(program);

void runCli(program, process.argv);
