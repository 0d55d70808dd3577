import type { Command } from 'commander';
import { AblyAuth, type TokenParams, InvalidCredentialsError } from 'tokensmith';
import { ablyKey, capabilityJson, clientId, httpUrl, ttlMs } from './flags';
import { processIo, shownToken, type CliIo } from './io';

/** Where the `ably` commands read and write. */
export type AblyCliIo = CliIo;

interface TokenOptions {
  key?: string;
  clientId?: string;
  capability?: string;
  ttl?: string;
  url?: string;
  showToken?: boolean;
}

/**
 * Adds the `ably` commands, each printing JSON on stdout:
 * - `tokensmith ably token-request [--client-id ID] [--capability JSON] [--ttl MS]`: a signed
 *   TokenRequest (safe to hand to a client: single use, no secret in it);
 * - `tokensmith ably request-token [--url BASE] [...]`: a TokenDetails from the server at BASE
 *   (default https://rest.ably.io), the token masked unless `--show-token`;
 * - `tokensmith ably jwt [...]`: an Ably JWT signed with the key, masked unless `--show-token`.
 *
 * The key comes from `ABLY_KEY` (preferred: it stays out of shell history) or `--key`. Errors are
 * one line with their code and never contain the key secret.
 *
 * @example
 * ```sh
 * ABLY_KEY=appId.keyId:secret tokensmith ably token-request --client-id alice --capability '{"chat:*":["publish"]}'
 * ```
 */
export function registerAblyCommands(program: Command, io?: AblyCliIo): void {
  const ably = program.command('ably').description('Ably token auth with the key in ABLY_KEY (or --key)');
  const resolveIo = (): AblyCliIo => io ?? processIo();
  const common = (command: Command): Command =>
    command
      .option('--key <key>', 'API key appId.keyId:secret (default: ABLY_KEY; prefer the variable, it stays out of shell history)')
      .option('--client-id <id>', 'clientId to bind the token to ("*" for any)')
      .option('--capability <json>', 'capability as JSON, e.g. \'{"chat:*":["publish","subscribe"]}\'')
      .option('--ttl <ms>', 'token lifetime in milliseconds');

  common(ably.command('token-request').description('Print a signed TokenRequest for a client to exchange')).action(async (options: TokenOptions) => {
    const cli = resolveIo();
    const request = await authFor(options, cli).createTokenRequest(tokenParams(options));
    cli.write(`${JSON.stringify(request, null, 2)}\n`);
  });

  common(ably.command('request-token').description('Obtain a token from the server at --url and print its TokenDetails'))
    .option('--url <base>', 'REST base URL, e.g. http://127.0.0.1:8080 (default: https://rest.ably.io)')
    .option('--show-token', 'print the token in full (it is a secret)', false)
    .action(async (options: TokenOptions) => {
      const cli = resolveIo();
      const details = await authFor(options, cli).requestToken(tokenParams(options));
      cli.write(`${JSON.stringify({ ...details, token: shownToken(details.token, options.showToken) }, null, 2)}\n`);
    });

  common(ably.command('jwt').description('Print an Ably JWT signed with the key'))
    .option('--show-token', 'print the JWT in full (it is a secret)', false)
    .action(async (options: TokenOptions) => {
      const cli = resolveIo();
      const jwt = await authFor(options, cli).createJwt(tokenParams(options));
      cli.write(`${JSON.stringify({ token: shownToken(jwt, options.showToken) }, null, 2)}\n`);
    });
}

function authFor(options: TokenOptions, io: AblyCliIo): AblyAuth {
  const [key, keySource] = options.key !== undefined ? [options.key, '--key'] : [io.env.ABLY_KEY, 'ABLY_KEY'];
  if (!key) throw new InvalidCredentialsError('no key: set ABLY_KEY or pass --key');
  return new AblyAuth({
    key: ablyKey(key, keySource),
    ...(options.url === undefined ? {} : { baseUrl: httpUrl(options.url, '--url', 'http://127.0.0.1:8080') }),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
}

function tokenParams(options: TokenOptions): TokenParams {
  const params: TokenParams = {};
  if (options.clientId !== undefined) params.clientId = clientId(options.clientId);
  if (options.capability !== undefined) params.capability = capabilityJson(options.capability);
  if (options.ttl !== undefined) params.ttl = ttlMs(options.ttl);
  return params;
}

