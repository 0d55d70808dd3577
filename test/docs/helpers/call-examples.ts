/**
 * Compiles the `client.METHOD(...)` examples of generated docs against the `paths` type the same
 * generation wrote, with openapi-fetch's `Client`: each example becomes one function in which
 * every variable it uses is declared `any`, so only the call's shape is checked (path, method,
 * required `params` groups, `body`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readPages } from './doc-problems';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const NOT_VARIABLES = new Set(['const', 'await', 'data', 'error', 'client']);

export interface DocsWithTypes {
  /** An identifier for the spec, used in generated names. */
  name: string;
  docsDir: string;
  /** The openapi-typescript output (`<name>.ts`) generated with the docs, without extension. */
  typesModule: string;
}

/** Every call example in a docs folder, in page order. */
export function callExamples(docsDir: string): string[] {
  return readPages(docsDir)
    .flatMap((page) => [...page.source.matchAll(/```ts\n(const \{ data, error \} = await client\.[\s\S]*?)```/g)])
    .map((match) => match[1]!.trim());
}

/** Runs tsc over every example of every docs folder; `output` is empty when all compile. */
export function typeCheckCallExamples(docs: DocsWithTypes[]): { examples: number; status: number | null; output: string } {
  // Under node_modules so that `openapi-fetch` resolves from the generated file.
  const dir = mkdtempSync(path.join(ROOT, 'node_modules', '.cache-tokensmith-docs-examples-'));
  try {
    const lines = [`import type { Client } from 'openapi-fetch';`];
    let examples = 0;
    for (const { name, docsDir, typesModule } of docs) {
      lines.push(`import type { paths as ${name}Paths } from ${JSON.stringify(typesModule)};`);
      for (const example of callExamples(docsDir)) {
        const declarations = variablesOf(example).map((variable) => `  const ${variable}: any = undefined;`);
        lines.push(`export async function ${name}Example${examples}(client: Client<${name}Paths>) {`, ...declarations, `  ${example}`, '  return { data, error };', '}');
        examples += 1;
      }
    }
    writeFileSync(path.join(dir, 'examples.ts'), `${lines.join('\n')}\n`);
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: path.join(ROOT, 'tsconfig.json'), compilerOptions: { types: [] }, include: ['examples.ts'] }),
    );
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', dir], { encoding: 'utf8' });
    return { examples, status: tsc.status, output: `${tsc.stdout}${tsc.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Identifiers the example reads: not keys (`name:`), not members (`.GET`), not in strings. */
function variablesOf(example: string): string[] {
  const code = example.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  const words = [...code.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)(?!\s*:)(?![\w$])/g)].map((match) => match[1]!);
  return [...new Set(words)].filter((word) => !NOT_VARIABLES.has(word));
}
