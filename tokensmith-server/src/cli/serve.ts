import { InvalidArgumentError, type Command } from 'commander';
import { DEMO_CREDENTIALS, lineLogger, startAuthServer } from '../server';

/** Options of `tokensmith serve`, as commander parses them. */
interface ServeOptions {
  host: string;
  port: number;
  config?: string;
  admin: boolean;
}

const FORCED_EXIT_MS = 5_000;

/**
 * Adds `tokensmith serve [--host] [--port] [--config FILE] [--admin]`: runs the local auth server
 * until SIGINT or SIGTERM. The first stdout line is `listening on http://HOST:PORT` (the real port
 * when `--port 0`); without `--config` the demo credentials follow. Request log lines go to stderr.
 *
 * @example
 * ```sh
 * tokensmith serve --port 0 --admin
 * ```
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the local Ably + Metquay auth server (demo credentials unless --config is given)')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on; 0 picks a free one', parsePort, 8080)
    .option('--config <file>', 'JSON config file (see README: "tokensmith serve")')
    .option('--admin', 'enable the /_admin test controls (never on a shared network)', false)
    .action(async (options: ServeOptions) => {
      const server = await startAuthServer({
        host: options.host,
        port: options.port,
        admin: options.admin,
        logger: lineLogger((line) => process.stderr.write(`${line}\n`)),
        ...(options.config === undefined ? {} : { config: options.config }),
      });
      process.stdout.write(`listening on ${server.url}\n`);
      if (options.config === undefined) process.stdout.write(demoCredentialsText(server.url));
      if (options.admin) process.stdout.write(`test controls: ${server.url}/_admin\n`);
      stopOnSignals(server.close);
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError('must be an integer from 0 to 65535');
  return port;
}

function demoCredentialsText(url: string): string {
  return [
    'demo credentials (public, for local testing only):',
    `  ably key, all channels:              ${DEMO_CREDENTIALS.ablyKey}`,
    `  ably key, allowed:* publish+history: ${DEMO_CREDENTIALS.ablyLimitedKey}`,
    `  metquay base URL:                    ${url}/api/v1`,
    `  metquay accessKey:                   ${DEMO_CREDENTIALS.metquayAccessKey}`,
    `  metquay secretKey:                   ${DEMO_CREDENTIALS.metquaySecretKey}`,
    '',
  ].join('\n');
}

function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`${signal}: stopping\n`);
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
