import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  GENERATOR_VERSION,
  GenerateError,
  generateClient,
  generatedHeader,
  loadSpecDocument,
  renderValidation,
} from '../../tokensmith-server/src/generate';
import { ROOT, SPECS } from './specs';

export interface GenerateOptions {
  /** Directory that receives what `generated/` holds. */
  outDir: string;
  /** Skip the Java-based markdown docs (types, security maps and schemas only). */
  skipDocs?: boolean;
  /** Directory the spec paths (openapi/…) are relative to; the repository root by default. */
  root?: string;
}

const COMMAND = 'npm run generate';

/**
 * Writes every generated file for every spec with the code behind `tokensmith generate`, plus the
 * request schemas the local server validates with. Same specs in, byte-identical files out.
 */
export async function generateAll({ outDir, skipDocs = false, root = ROOT }: GenerateOptions): Promise<string[]> {
  const generatorJar = skipDocs ? undefined : await repositoryGeneratorJar();
  const written: string[] = [];
  for (const spec of SPECS) {
    const specFile = path.resolve(root, spec.file);
    // strict: every operation of a bundled spec must carry auth tokensmith can send.
    const { written: files } = await generateClient({
      spec: specFile,
      name: spec.name,
      outDir,
      docs: !skipDocs,
      ...(generatorJar ? { generatorJar } : {}),
      command: COMMAND,
      specLabel: spec.file,
      strict: true,
    });
    const validation = renderValidation(await loadSpecDocument(specFile, spec.file), generatedHeader(COMMAND, spec.file));
    await writeFile(path.join(outDir, `${spec.name}.validation.ts`), validation);
    written.push(...files, `${spec.name}.validation.ts`);
  }
  return written;
}

/** The jar `npm run fetch:generator` leaves (openapitools.json says where), of the version the companion runs. */
async function repositoryGeneratorJar(): Promise<string> {
  const config = JSON.parse(await readFile(path.join(ROOT, 'openapitools.json'), 'utf8')) as {
    'generator-cli': { version: string; storageDir: string };
  };
  const { version, storageDir } = config['generator-cli'];
  if (version !== GENERATOR_VERSION) {
    throw new GenerateError('invalid-argument', `openapitools.json pins openapi-generator ${version} but tokensmith-server runs ${GENERATOR_VERSION}: change both together`);
  }
  const jar = path.join(ROOT, storageDir, `${version}.jar`);
  if (!existsSync(jar)) {
    throw new GenerateError('generator-missing', `openapi-generator ${version} is not fetched yet: run \`npm run fetch:generator\` (needs Maven).`);
  }
  return jar;
}
