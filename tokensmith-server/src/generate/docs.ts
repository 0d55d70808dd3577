import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { annotateForDocs } from './docs-annotations';
import type { OpenApiDocument } from './document';
import { GenerateError } from './errors';
import type { PackageClient } from './markdown-templates';

export { CACHE_DIR_ENV, FETCH_GENERATOR_COMMAND, GENERATOR_JAR_ENV, GENERATOR_VERSION, findGeneratorJar, tokensmithCacheDir, type FindGeneratorJarOptions } from './generator-jar';

/** What {@link writeDocs} needs. */
export interface DocsOptions {
  /** The spec file. */
  specFile: string;
  /** The parsed spec (annotated for the templates before the generator reads it). */
  doc: OpenApiDocument;
  /** Base name of the generated files, for the pages' `import type { paths } from './<name>.js'`. */
  name: string;
  /** Folder that receives the pages; emptied first. */
  outDir: string;
  /** Stamped at the top of every page as an HTML comment. */
  header: string;
  /** The openapi-generator jar (see {@link findGeneratorJar}). */
  generatorJar: string;
  /** A package's own client for the spec, shown on the index page (the bundled specs' docs). */
  packageClient?: PackageClient | undefined;
}

/** Markdown API docs for one spec, written under `outDir`, each page stamped with the header. */
export async function writeDocs({ specFile, doc, name, outDir, header, generatorJar, packageClient }: DocsOptions): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  // Dynamic: the module reads import.meta, which jest's CommonJS run of the sources cannot parse.
  const { markdownTemplateArgs } = await import('./markdown-templates');
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'tokensmith-docs-'));
  let result: SpawnSyncReturns<string>;
  try {
    const annotated = path.join(scratch, `${name}.json`);
    await writeFile(annotated, JSON.stringify(annotateForDocs(doc)));
    // --generate-alias-as-model: array schemas (ServerTime, CustomerList) get a model page too.
    result = spawnSync(
      'java',
      ['-jar', generatorJar, 'generate', '-g', 'markdown', '-i', annotated, '-o', outDir, '--generate-alias-as-model', ...markdownTemplateArgs(name, packageClient)],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  if (result.status !== 0) {
    throw new GenerateError('generator-failed', `openapi-generator failed for ${specFile}: ${firstProblem(`${result.stderr ?? ''}\n${result.stdout ?? ''}`, result.error)}`);
  }
  await rm(path.join(outDir, '.openapi-generator'), { recursive: true, force: true });
  await rm(path.join(outDir, '.openapi-generator-ignore'), { force: true });
  for (const file of await listFiles(outDir)) {
    if (!file.endsWith('.md')) continue;
    const text = await readFile(file, 'utf8');
    await writeFile(file, `<!-- ${header} -->\n\n${text}`);
  }
}

function firstProblem(output: string, error: Error | undefined): string {
  if (error) return error.message;
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => /error|exception|invalid/i.test(line)) ?? lines[0] ?? 'no output';
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)])),
  );
  return nested.flat();
}
