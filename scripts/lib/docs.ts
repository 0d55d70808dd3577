import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { annotateForDocs } from './docs-annotations';
import { ROOT, generatedHeader, loadSpec, type SpecEntry } from './specs';

/** Thrown when a tool the docs generator needs is missing; carries a one-line explanation. */
export class MissingToolError extends Error {}

/** Checks Java and the generator jar, so a missing one is one clear line and not a stack trace. */
export async function assertDocsToolchain(): Promise<void> {
  const config = JSON.parse(await readFile(path.join(ROOT, 'openapitools.json'), 'utf8')) as {
    'generator-cli': { version: string; storageDir: string };
  };
  const { version, storageDir } = config['generator-cli'];
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).error) {
    throw new MissingToolError('Java is not installed: the markdown docs need Java 11+ (e.g. apt-get install openjdk-17-jre-headless).');
  }
  if (!existsSync(path.join(ROOT, storageDir, `${version}.jar`))) {
    throw new MissingToolError(`openapi-generator ${version} is not fetched yet: run \`npm run fetch:generator\` (needs Maven).`);
  }
}

/** Markdown API docs for one spec, written under `outDir`, each file stamped with the header. */
export async function writeDocs(root: string, spec: SpecEntry, outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  const wrapper = path.join(ROOT, 'node_modules', '@openapitools', 'openapi-generator-cli', 'main.js');
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'tokensmith-docs-'));
  const { markdownTemplateArgs } = await import('../../tokensmith-server/src/generate/markdown-templates');
  const annotated = path.join(scratch, path.basename(spec.file).replace(/\.[^.]+$/, '.json'));
  await writeFile(annotated, JSON.stringify(annotateForDocs(await loadSpec(root, spec.file))));
  // --generate-alias-as-model: array schemas (ServerTime, CustomerList) get a model page too.
  const result = spawnSync(
    process.execPath,
    [wrapper, 'generate', '--openapitools', path.join(ROOT, 'openapitools.json'), '-g', 'markdown',
      '-i', annotated, '-o', outDir, '--generate-alias-as-model', ...markdownTemplateArgs(spec.name)],
    { cwd: ROOT, env: { ...process.env, PWD: ROOT }, encoding: 'utf8' },
  );
  await rm(scratch, { recursive: true, force: true });
  if (result.status !== 0) {
    throw new Error(`openapi-generator failed for ${spec.file}:\n${result.stdout}\n${result.stderr}`);
  }
  await rm(path.join(outDir, '.openapi-generator'), { recursive: true, force: true });
  await rm(path.join(outDir, '.openapi-generator-ignore'), { force: true });
  for (const file of await listFiles(outDir)) {
    if (!file.endsWith('.md')) continue;
    const text = await readFile(file, 'utf8');
    await writeFile(file, `<!-- ${generatedHeader(spec)} -->\n\n${text}`);
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)])),
  );
  return nested.flat();
}
