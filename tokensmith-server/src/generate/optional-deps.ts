import { GenerateError } from './errors';

/**
 * Code generation's heavy dependencies (openapi-typescript and its peer, the TypeScript compiler:
 * about 50 packages and 40 MB) are optional peers of tokensmith-server, so installing it for
 * `serve` stays lean. They load only when `generate` runs.
 */

/** What to run in the user's project before `tokensmith generate`. */
export const GENERATE_INSTALL_COMMAND = 'npm i -D openapi-typescript@^7 typescript@^5';

type OpenapiTypescript = typeof import('openapi-typescript');

/**
 * Loads openapi-typescript (which loads TypeScript).
 * @throws {GenerateError} `dependencies-missing`, naming the install command, when either is not installed.
 */
export async function loadOpenapiTypescript(): Promise<OpenapiTypescript> {
  try {
    return await import('openapi-typescript');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new GenerateError(
      'dependencies-missing',
      `generate needs openapi-typescript and typescript, which are not installed (serve does not need them): run \`${GENERATE_INSTALL_COMMAND}\``,
      { cause: error },
    );
  }
}
