import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeDocs } from './docs';
import { findGeneratorJar } from './generator-jar';
import { generatedHeader, loadSpecDocument } from './document';
import { GenerateError } from './errors';
import { loadOpenapiTypescript } from './optional-deps';
import { relaxCredentialParameters } from './credential-params';
import { renderSecurityMap } from './security-map';
import { describeUnsupported, findUnsupportedOperations, type UnsupportedOperation } from './supported-security';
import { renderTypes } from './types';

/** Options of {@link generateClient}. */
export interface GenerateClientOptions {
  /** The OpenAPI 3.0/3.1 spec, YAML or JSON. */
  spec: string;
  /** Base name of the generated files: `<name>.ts`, `<name>.security.ts`, `docs/<name>/`. */
  name: string;
  /** Folder that receives the files; created when missing. */
  outDir: string;
  /** Also write markdown API docs (needs Java and the openapi-generator jar). */
  docs?: boolean;
  /** The docs pages' header, when it should differ from the code's (the bundled docs say how a user remakes them). */
  docsHeader?: string;
  /** A package's own client for the spec, shown on the docs index page instead of one built from the generated files. */
  packageClient?: import('./markdown-templates').PackageClient;
  /** The openapi-generator jar for `docs`; found by {@link findGeneratorJar} when absent. */
  generatorJar?: string;
  /** Told when the generator jar is being fetched through Maven (once per user; it takes a while). */
  onFetchGenerator?: (message: string) => void;
  /** How the generated headers name the command; default `tokensmith generate`. */
  command?: string;
  /** How messages and headers name the spec; default its path relative to the working directory. */
  specLabel?: string;
  /**
   * Refuse the spec, writing nothing, when an operation has no security requirement tokensmith
   * can send (a `GenerateError` with reason `security-unsupported` listing them all). Default
   * false: such operations are generated, listed in the result and in `<name>.security.ts`.
   */
  strict?: boolean;
}

/** What {@link generateClient} did. */
export interface GenerateResult {
  /** The paths written, relative to `outDir`. */
  written: string[];
  /** Every operation none of whose security alternatives tokensmith can send, in document order. */
  unsupported: UnsupportedOperation[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Generates, from one spec, what an openapi-fetch client with tokensmith auth needs:
 * `<name>.ts` (openapi-typescript `paths` and `components`), `<name>.security.ts`
 * (`defaultServerUrl`, `securitySchemes`, `operationSecurity`) and, with `docs`, markdown pages
 * under `docs/<name>/`. Everything is checked before anything is written.
 *
 * An operation whose security tokensmith cannot send (e.g. only http digest) does not stop the
 * rest: it is generated, listed in the result and in a comment of `<name>.security.ts`, unless
 * `strict`. Required parameters that carry a credential the auth supplies become optional in
 * `<name>.ts` (see {@link relaxCredentialParameters}).
 *
 * @throws {GenerateError} naming the file, operation or scheme at fault and what to do.
 */
export async function generateClient(options: GenerateClientOptions): Promise<GenerateResult> {
  const { spec, name, outDir } = options;
  if (!NAME.test(name)) {
    throw new GenerateError('invalid-argument', '--name must be a file name of letters, digits, "_", "-" or "." (e.g. petstore)');
  }
  // Before the spec is read: a missing dependency is the first thing to fix.
  await loadOpenapiTypescript();
  const label = options.specLabel ?? (path.relative(process.cwd(), path.resolve(spec)) || spec);
  const header = generatedHeader(options.command ?? 'tokensmith generate', label);
  const doc = await loadSpecDocument(spec, label);
  const { securityMap, unsupported } = withLabel(label, () => {
    const found = findUnsupportedOperations(doc);
    if (options.strict && found.length > 0) throw strictRefusal(found);
    return { securityMap: renderSecurityMap(doc, header, found), unsupported: found };
  });
  const relaxed = withLabel(label, () => relaxCredentialParameters(doc));
  const types = await renderTypes(path.resolve(spec), header, label, relaxed.relaxed.length > 0 ? relaxed.doc : undefined);
  const generatorJar = options.docs
    ? findGeneratorJar(options.generatorJar, process.env, process.cwd(), options.onFetchGenerator ? { onFetch: options.onFetchGenerator } : {})
    : undefined;

  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, `${name}.ts`), types);
  await writeFile(path.join(outDir, `${name}.security.ts`), securityMap);
  const written = [`${name}.ts`, `${name}.security.ts`];
  if (generatorJar !== undefined) {
    const docsHeader = options.docsHeader ?? header;
    await writeDocs({ specFile: spec, doc: relaxed.doc, name, outDir: path.join(outDir, 'docs', name), header: docsHeader, generatorJar, packageClient: options.packageClient });
    written.push(`docs/${name}/`);
  }
  return { written, unsupported };
}

function strictRefusal(unsupported: readonly UnsupportedOperation[]): GenerateError {
  const count = unsupported.length === 1 ? '1 operation has' : `${unsupported.length} operations have`;
  return new GenerateError(
    'security-unsupported',
    `--strict: ${count} no security requirement tokensmith can send, so nothing was written: ${unsupported.map(describeUnsupported).join(' | ')}; give each an alternative tokensmith sends, or drop --strict to generate them anyway`,
  );
}

/** Runs `render`, prefixing the spec's label to a GenerateError that does not name it yet. */
export function withLabel<T>(label: string, render: () => T): T {
  try {
    return render();
  } catch (error) {
    if (error instanceof GenerateError && !error.message.startsWith(label)) {
      throw new GenerateError(error.reason, `${label}: ${error.message}`, { cause: error.cause });
    }
    throw error;
  }
}
