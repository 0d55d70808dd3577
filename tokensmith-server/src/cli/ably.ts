import type { Command } from 'commander';
import { AblyAuth, type TokenParams, InvalidArgumentError, InvalidCredentialsError, revokeTokens } from 'tokensmith';
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
 * - `tokensmith ably jwt [...]`: an Ably JWT signed with the key, masked unless `--show-token`;
 * - `tokensmith ably revoke <type:value...> [--issued-before MS] [--allow-reauth-margin] [--url BASE]`:
 *   revokes the key's tokens by `clientId:<id>`, `revocationKey:<key>` or `channel:<name>` and
 *   prints the per-target results (RSA17).
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

  registerRevokeCommand(ably, resolveIo);
}

/** Adds `tokensmith ably revoke` (kept apart from the token commands: it takes targets, not TokenParams). */
function registerRevokeCommand(ably: Command, resolveIo: () => AblyCliIo): void {
  ably
    .command('revoke')
    .description('Revoke tokens the key issued, by clientId:<id>, revocationKey:<key> or channel:<name>, and print each target\'s result')
    .argument('<targets...>', 'targets as type:value, e.g. clientId:alice channel:secret')
    .option('--key <key>', 'API key appId.keyId:secret (default: ABLY_KEY)')
    .option('--url <base>', 'REST base URL, e.g. http://127.0.0.1:8080 (default: https://rest.ably.io)')
    .option('--issued-before <ms>', 'revoke only tokens issued before this time, ms since the epoch (default: now)')
    .option('--allow-reauth-margin', 'postpone enforcement by 30 s so clients can fetch a new token first', false)
    .action(async (targets: string[], options: TokenOptions & { issuedBefore?: string; allowReauthMargin: boolean }) => {
      const cli = resolveIo();
      const specifiers = targets.map((target) => {
        const colon = target.indexOf(':');
        if (colon <= 0 || colon === target.length - 1) throw new InvalidArgumentError(40003, 'each target must be type:value, e.g. clientId:alice');
        return { type: target.slice(0, colon), value: target.slice(colon + 1) };
      });
      const issuedBefore = options.issuedBefore === undefined ? undefined : Number(options.issuedBefore);
      if (issuedBefore !== undefined && (!Number.isSafeInteger(issuedBefore) || issuedBefore < 0)) {
        throw new InvalidArgumentError(40003, '--issued-before must be a time in ms since the epoch');
      }
      const result = await revokeTokens(authFor(options, cli), specifiers, {
        ...(issuedBefore === undefined ? {} : { issuedBefore }),
        ...(options.allowReauthMargin ? { allowReauthMargin: true } : {}),
      });
      cli.write(`${JSON.stringify(result, null, 2)}\n`);
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

