import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertDocsToolchain, writeDocs } from './docs';
import { renderSecurityMap } from './security-map';
import { ROOT, SPECS, loadSpec } from './specs';
import { renderTypes } from './types';
import { renderValidation } from './validation';

export interface GenerateOptions {
  /** Directory that receives what `generated/` holds. */
  outDir: string;
  /** Skip the Java-based markdown docs (types, security maps and schemas only). */
  skipDocs?: boolean;
  /** Directory the spec paths (openapi/…) are relative to; the repository root by default. */
  root?: string;
}

/** Writes every generated file for every spec. Same specs in, byte-identical files out. */
export async function generateAll({ outDir, skipDocs = false, root = ROOT }: GenerateOptions): Promise<string[]> {
  if (!skipDocs) await assertDocsToolchain();
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const spec of SPECS) {
    const doc = await loadSpec(root, spec.file);
    const files: [string, string][] = [
      [`${spec.name}.ts`, await renderTypes(root, spec)],
      [`${spec.name}.security.ts`, renderSecurityMap(spec, doc)],
      [`${spec.name}.validation.ts`, renderValidation(spec, doc)],
    ];
    for (const [name, text] of files) {
      await writeFile(path.join(outDir, name), text);
      written.push(name);
    }
    if (!skipDocs) {
      await writeDocs(root, spec, path.join(outDir, 'docs', spec.name));
      written.push(`docs/${spec.name}/`);
    }
  }
  return written;
}
