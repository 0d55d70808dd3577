import path from 'node:path';
import type { Command } from 'commander';
import { CACHE_DIR_ENV, GENERATOR_JAR_ENV } from '../generate/generator-jar';
import { processIo, type CliIo } from './io';

/** Options of `tokensmith generate`, as commander parses them. */
interface GenerateOptions {
  spec: string;
  name: string;
  out: string;
  docs: boolean;
  strict: boolean;
  generatorJar?: string;
}

/**
 * Adds `tokensmith generate --spec FILE --name NAME --out DIR [--docs] [--strict] [--generator-jar JAR]`:
 * writes `NAME.ts` and `NAME.security.ts` (and with `--docs` the markdown pages under
 * `DIR/docs/NAME/`) for any OpenAPI 3.0/3.1 spec, and prints what it wrote. Operations whose
 * security tokensmith cannot send are listed on stderr, all in one run, and still generated;
 * `--strict` refuses them instead (exit status 1, nothing written). A spec it cannot read is
 * refused with one line naming the problem (a `GenerateError`, exit status 1).
 *
 * @example
 * ```sh
 * tokensmith generate --spec openapi/petstore.yaml --name petstore --out src/generated
 * ```
 */
export function registerGenerateCommand(program: Command, io: CliIo = processIo()): void {
  program
    .command('generate')
    .description('Generate openapi-fetch types and the security map tokensmith auth reads, from any OpenAPI 3.0/3.1 spec (YAML or JSON)')
    .requiredOption('--spec <file>', 'the OpenAPI spec, YAML or JSON')
    .requiredOption('--name <name>', 'base name of the generated files (<name>.ts, <name>.security.ts)')
    .requiredOption('--out <dir>', 'folder to write into (created when missing)')
    .option('--docs', 'also write markdown API docs to <out>/docs/<name>/ (needs Java and the openapi-generator jar)', false)
    .option('--strict', 'exit 1 and write nothing when an operation has no security requirement tokensmith can send', false)
    .option(
      '--generator-jar <file>',
      `the openapi-generator jar for --docs (default: $${GENERATOR_JAR_ENV}, ./.generator/, the user cache ($${CACHE_DIR_ENV}), ~/.m2; else fetched once through Maven)`,
    )
    .action(async (options: GenerateOptions) => {
      // Loaded here: code generation's modules (and its optional peers) are not serve's to load.
      const { describeUnsupported, generateClient } = await import('../generate');
      const { written, unsupported } = await generateClient({
        onFetchGenerator: (message) => process.stderr.write(`${message}\n`),
        spec: options.spec,
        name: options.name,
        outDir: options.out,
        docs: options.docs,
        strict: options.strict,
        ...(options.generatorJar === undefined ? {} : { generatorJar: options.generatorJar }),
      });
      const outDir = path.relative(process.cwd(), path.resolve(options.out)) || '.';
      io.write(written.map((file) => `wrote ${path.join(outDir, file)}\n`).join(''));
      if (unsupported.length > 0) {
        const count = unsupported.length === 1 ? '1 operation has' : `${unsupported.length} operations have`;
        (io.warn ?? warnOnStderr)(
          `tokensmith: ${count} no security requirement tokensmith can send (generated anyway; calling one throws before any network; --strict refuses them):\n${unsupported.map((entry) => `  ${describeUnsupported(entry)}\n`).join('')}`,
        );
      }
    });
}

function warnOnStderr(text: string): void {
  process.stderr.write(text);
}
