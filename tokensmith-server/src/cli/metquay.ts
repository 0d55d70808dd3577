import type { Command } from 'commander';
import { MetquayAuth, TokensmithError, type AuthenticationResponse } from 'tokensmith';
import { httpUrl } from './flags';
import { processIo, shownToken, type CliIo } from './io';

/** Where the `metquay` commands read and write. */
export type MetquayCliIo = CliIo;

interface AuthenticateOptions {
  url?: string;
  showToken: boolean;
}

/**
 * Adds `tokensmith metquay authenticate [--url BASE] [--show-token]`: authenticates with the key
 * pair in `METQUAY_ACCESS_KEY` / `METQUAY_SECRET_KEY` against `--url` (else `METQUAY_BASE_URL`)
 * and prints the token response as JSON, the access token masked unless `--show-token`.
 *
 * @example
 * ```sh
 * METQUAY_ACCESS_KEY=… METQUAY_SECRET_KEY=… tokensmith metquay authenticate --url http://127.0.0.1:8080/api/v1
 * ```
 */
export function registerMetquayCommands(program: Command, io?: MetquayCliIo): void {
  const metquay = program.command('metquay').description('Metquay-style API: authenticate with an access key pair');
  metquay
    .command('authenticate')
    .description('Trade METQUAY_ACCESS_KEY/METQUAY_SECRET_KEY for an access token and print the response')
    .option('--url <base>', 'API base URL ending in /api/v1 (default: METQUAY_BASE_URL)')
    .option('--show-token', 'print the access token in full (it is a secret)', false)
    .action(async (options: AuthenticateOptions) => {
      const { write, env, fetch } = io ?? processIo();
      // An empty variable counts as unset; an empty --url is checked like any other.
      const url = options.url ?? (env.METQUAY_BASE_URL || undefined);
      const urlSource = options.url === undefined ? 'METQUAY_BASE_URL' : '--url';
      const auth = new MetquayAuth({
        env,
        ...(url === undefined ? {} : { baseUrl: httpUrl(url, urlSource, EXAMPLE_URL) }),
        ...(fetch ? { fetch } : {}),
        retry: { maxAttempts: 1 },
        maxRetryAfterMs: 0,
      });
      const response = await auth.authenticate().catch((error: unknown) => {
        throw url === undefined ? error : withBaseUrlHint(error, url, urlSource);
      });
      write(`${JSON.stringify(options.showToken ? response : maskToken(response), null, 2)}\n`);
    });
}

const EXAMPLE_URL = 'http://127.0.0.1:8080/api/v1';

/**
 * A 404 from `/authenticate` nearly always means the base URL lacks the API's path prefix: the
 * error then says so, naming the flag or variable the URL came from. Other errors pass unchanged.
 */
function withBaseUrlHint(error: unknown, url: string, source: string): unknown {
  if (!(error instanceof TokensmithError) || error.statusCode !== 404) return error;
  const path = new URL(url).pathname.replace(/\/+$/, '');
  const hint = path.endsWith('/api/v1')
    ? `check that ${source} points at a Metquay API`
    : `${source} usually ends in /api/v1, e.g. ${EXAMPLE_URL}`;
  return new TokensmithError(error.code, `${error.message}; ${hint}`, { statusCode: 404, cause: error });
}

/** The response with `accessToken` replaced by a note of its length; nothing of the token remains. */
export function maskToken(response: AuthenticationResponse): AuthenticationResponse {
  return { ...response, accessToken: shownToken(response.accessToken, false) };
}
