import { InvalidArgumentError, Option, type Command } from 'commander';
import { ConfigurationError, TokensmithError } from 'tokensmith';
import { DEMO_CREDENTIALS, SERVER_LOG_LEVELS, startAuthServer, streamLogger, type AuthServer, type ServerLogFormat, type ServerLogLevel, type StreamLogger } from '../server';
import { resolveAllowedHosts } from '../server/lib/host-check';
import { startSpecServer } from '../server/spec/start';

/** Options of `tokensmith serve`, as commander parses them. */
interface ServeOptions {
  host: string;
  port: number;
  config?: string;
  admin: boolean;
  spec: string[];
  stateful: boolean;
  seed: number;
  allowedHost: string[];
  logLevel: ServerLogLevel;
  logFormat: ServerLogFormat;
}

/** Environment variable for `--log-level` (the flag wins). */
export const LOG_LEVEL_ENV = 'TOKENSMITH_LOG_LEVEL';
/** Environment variable for `--log-format` (the flag wins). */
export const LOG_FORMAT_ENV = 'TOKENSMITH_LOG_FORMAT';

const FORCED_EXIT_MS = 5_000;

/**
 * Adds `tokensmith serve [--host] [--port] [--config FILE] [--admin] [--allowed-host NAME…]
 * [--log-level LEVEL] [--log-format text|json]`: runs the local auth server (with `--spec FILE…`
 * [`--stateful`] [`--seed N`], a server for those specs instead: docs/serve-spec.md) until SIGINT
 * or SIGTERM. The first stdout line, the only listening line, is `listening on http://HOST:PORT`
 * (the real port when `--port 0`); without `--config` the demo credentials follow. Log lines go
 * to stderr, batched: at the default level `warn` only errors; at `info` one line per request.
 * An address it cannot listen on is an error naming the flag that fixes it (`try --port 0`); on a
 * host other than loopback, `--admin` or the demo credentials print a warning to stderr first.
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
    .option('--config <file>', `JSON config file; its fields: "Config" in ${SERVER_DOCS}`)
    .option('--admin', 'enable the /_admin test controls (never on a shared network)', false)
    .option('--spec <file>', 'serve this OpenAPI 3.0/3.1 spec instead, enforcing its security (repeatable; docs/serve-spec.md)', collect, [])
    .option('--stateful', 'with --spec: POST creates, GET reads and lists, PUT/PATCH update, DELETE removes', false)
    .option('--seed <n>', 'with --spec: seed of the generated answers', parseSeed, 1)
    .option('--allowed-host <name>', 'also answer requests for this Host name (repeatable; ".example.test" covers subdomains); others get 403', collectHost, [])
    .addOption(
      new Option('--log-level <level>', 'least severe log line written to stderr; info adds one line per request')
        .choices(SERVER_LOG_LEVELS)
        .env(LOG_LEVEL_ENV)
        .default('warn'),
    )
    .addOption(new Option('--log-format <format>', 'log lines as text, or JSON lines for machines').choices(['text', 'json']).env(LOG_FORMAT_ENV).default('text'))
    .action(async (options: ServeOptions) => {
      const logger = streamLogger({ level: options.logLevel, format: options.logFormat });
      process.once('exit', () => logger.flush());
      if (options.spec.length > 0) return serveSpecs(options, logger);
      if (options.stateful) throw new ConfigurationError(40003, '--stateful needs --spec FILE');
      const exposed = exposureWarning(options);
      if (exposed !== undefined) process.stderr.write(exposed);
      const server = await startServer(options, logger);
      // Before the listening line: whoever waits for it may signal at once.
      stopOnSignals(server.close);
      process.stdout.write(`listening on ${server.url}\n`);
      if (options.config === undefined) process.stdout.write(demoCredentialsText(server.url));
      if (options.admin) process.stdout.write(`test controls: ${server.url}/_admin\n`);
    });
}

async function serveSpecs(options: ServeOptions, logger: StreamLogger): Promise<void> {
  // A spec server has no demo credentials: only --admin is a risk off loopback.
  const exposed = exposureWarning({ ...options, config: options.config ?? '' });
  if (exposed !== undefined) process.stderr.write(exposed);
  const server = await withListenHint(() =>
    startSpecServer({ ...listenOptions(options, logger), specs: options.spec, stateful: options.stateful, seed: options.seed }),
  );
  stopOnSignals(server.close);
  process.stdout.write(`listening on ${server.url}\n`);
  for (const spec of server.specs) process.stdout.write(`  ${spec.file}: ${spec.operations.length} operations under ${server.url}${spec.basePath}\n`);
  if (options.admin) process.stdout.write(`test controls: ${server.url}/_admin\n`);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function collectHost(value: string, previous: string[]): string[] {
  try {
    resolveAllowedHosts([value]);
  } catch {
    throw new InvalidArgumentError('must be a host name such as dev.example.test (or .example.test for its subdomains), without scheme or port');
  }
  return [...previous, value];
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(seed)) throw new InvalidArgumentError('must be a non-negative integer');
  return seed;
}

function startServer(options: ServeOptions, logger: StreamLogger): Promise<AuthServer> {
  return withListenHint(() => startAuthServer(listenOptions(options, logger)));
}

/** What both servers take from the flags: where to listen, the admin switch, the logger, Host names and config. */
function listenOptions(options: ServeOptions, logger: StreamLogger) {
  return {
    host: options.host,
    port: options.port,
    admin: options.admin,
    logger,
    ...(options.allowedHost.length === 0 ? {} : { allowedHosts: options.allowedHost }),
    ...(options.config === undefined ? {} : { config: options.config }),
  };
}

async function withListenHint<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    // The server names the address it could not listen on; the CLI adds the fix in its own flags.
    if (!(error instanceof TokensmithError)) throw error;
    const cause = error.cause as NodeJS.ErrnoException | undefined;
    const fromListening = cause?.syscall === 'listen' || cause?.syscall === 'getaddrinfo';
    const hint = fromListening && cause?.code !== undefined ? LISTEN_HINTS[cause.code] : undefined;
    if (hint === undefined) throw error;
    throw new ConfigurationError(error.code, `${error.message} (${hint})`, { cause });
  }
}

const LISTEN_HINTS: Record<string, string> = {
  EADDRINUSE: 'try --port 0',
  EACCES: 'try --port 0, or a port above 1023',
  EADDRNOTAVAIL: 'try --host 127.0.0.1',
  ENOTFOUND: 'try --host 127.0.0.1',
  EAI_AGAIN: 'try --host 127.0.0.1',
};

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

/**
 * A loud warning when the server is about to listen beyond this machine with something anyone
 * could use: the test controls (`--admin`) or the demo credentials, which are public.
 */
export function exposureWarning(options: Pick<ServeOptions, 'host' | 'admin' | 'config'>): string | undefined {
  if (LOOPBACK_HOST.test(options.host)) return undefined;
  const risks = [
    ...(options.admin ? ['the test controls (--admin) let anyone who can connect expire and revoke tokens, skew the clock and read the request log'] : []),
    ...(options.config === undefined ? ['the demo credentials are public: anyone who can connect can get tokens with them'] : []),
  ];
  if (risks.length === 0) return undefined;
  const bar = '!'.repeat(78);
  return [
    bar,
    `WARNING: listening on ${options.host}, which other machines may reach, and:`,
    ...risks.map((risk) => `  - ${risk}`),
    'This server is for local development and tests. Use --host 127.0.0.1 unless you mean this.',
    bar,
    '',
  ].join('\n');
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
    `  oauth2 token endpoint:               ${url}/oauth2/token`,
    `  oauth2 client_id (read, write):      ${DEMO_CREDENTIALS.oauth2ClientId}`,
    `  oauth2 client_secret:                ${DEMO_CREDENTIALS.oauth2ClientSecret}`,
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

/**
 * Where the server reference is: in the tokensmith package, which this one depends on (so it is
 * installed beside it), and online.
 */
export const SERVER_DOCS = 'node_modules/tokensmith/docs/server.md (https://github.com/tokensmith/tokensmith/blob/main/docs/server.md#config)';
