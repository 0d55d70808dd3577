/**
 * Every TypeScript snippet users can paste (README.md, tokensmith-server/README.md, docs/*.md and
 * the bundled API docs' index pages) type-checks against the sources twice: under the repo's own
 * tsconfig, and under `tsc --init` defaults (strict, exactOptionalPropertyTypes,
 * verbatimModuleSyntax, …). `tsc --init`'s `module: nodenext` cannot resolve the sources (their
 * relative imports have no extension), so here the snippets' own relative imports are held to
 * nodenext's rule (a `.js` extension) and test/package/docs-from-npm.test.ts compiles them under
 * nodenext against the installed tarballs. Snippets importing `./generated/<name>.js` get what
 * `tokensmith generate` writes for that name's fixture spec (GENERATED_FIXTURES).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SOURCE_PATHS, TSC_INIT_AGAINST_SOURCES, extensionlessImports, generatedImports, pageSnippets, snippetFile, snippetPages, typeCheck, type Snippet } from './helpers/snippets';

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, 'tmp', `snippets-compile-${process.pid}`);

const snippets: Snippet[] = [...snippetPages(ROOT), 'tokensmith-server/README.md'].flatMap((page) => pageSnippets(ROOT, page));

beforeAll(() => {
  mkdirSync(DIR, { recursive: true });
  for (const [name, spec] of generatedImports(snippets)) {
    const generate = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'tokensmith-server/src/cli/main.ts'), 'generate', '--spec', path.join(ROOT, spec), '--name', name, '--out', path.join(DIR, 'generated')],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (generate.status !== 0) throw new Error(`tokensmith generate ${name} failed: ${generate.stderr}`);
  }
  for (const snippet of snippets) writeFileSync(path.join(DIR, snippetFile(snippet)), `${snippet.code}\nexport {};\n`);
}, 60_000);
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

function problems(files: string[], compilerOptions: Record<string, unknown>, extendsRepo: boolean): string[] {
  return typeCheck(path.join(DIR, `tsconfig.${extendsRepo ? 'repo' : 'init'}.json`), files, compilerOptions, extendsRepo);
}

/** Compiled with the snippets: every public option takes `undefined` (test/docs/fixtures/options-take-undefined.ts). */
const FIXTURES = [path.join(ROOT, 'test/docs/fixtures/options-take-undefined.ts')];

const files = () => [...snippets.map((snippet) => path.join(DIR, snippetFile(snippet))), ...FIXTURES];

describe('the docs snippets', () => {
  it('are found on every page that has them, fragments excluded', () => {
    const pages = new Set(snippets.map((snippet) => snippet.page));
    for (const page of ['README.md', 'tokensmith-server/README.md', 'docs/generate.md', 'docs/redis.md', 'docs/server.md']) expect(pages).toContain(page);
    expect(snippets.length).toBeGreaterThanOrEqual(15);
    expect(snippets.some((snippet) => snippet.code.includes('client.use(logging, metrics'))).toBe(false);
  });

  it('import generated files the way module nodenext needs (with .js)', () => {
    expect(snippets.flatMap((snippet) => extensionlessImports(snippet).map((specifier) => `${snippet.page}:${snippet.line} ${specifier}`))).toEqual([]);
    expect(snippets.some((snippet) => snippet.code.includes("from './generated/lab.js'"))).toBe(true);
  });

  it('type-check under the repo tsconfig', () => {
    expect(problems(files(), { paths: SOURCE_PATHS, types: ['node'], noEmit: true }, true)).toEqual([]);
  }, 120_000);

  it('type-check under tsc --init defaults (strict, exactOptionalPropertyTypes, verbatimModuleSyntax)', () => {
    expect(problems(files(), TSC_INIT_AGAINST_SOURCES, false)).toEqual([]);
  }, 120_000);

  it('the tsc --init check has exactOptionalPropertyTypes in force: an undefined where an option does not take one fails', () => {
    const bad = path.join(DIR, 'bad.ts');
    const code = [
      'declare function configure(options: { timeoutMs?: number }): void;',
      'const ms: number | undefined = undefined;',
      'configure({ timeoutMs: ms });',
      // The fixture's check, on an option declared without `| undefined`.
      'type OptionalKeys<O> = { [K in keyof O]-?: {} extends Pick<O, K> ? K : never }[keyof O];',
      'type EveryOptionTakesUndefined<O> = { [K in OptionalKeys<O>]-?: undefined } extends Pick<O, OptionalKeys<O>> ? true : false;',
      'export const check = true satisfies EveryOptionTakesUndefined<{ a?: number | undefined; b?: string }>;',
    ];
    writeFileSync(bad, `${code.join('\n')}\n`);
    const errors = problems([bad], TSC_INIT_AGAINST_SOURCES, false);
    expect(errors.map((line) => line.replace(/ TS(\d+):.*/, ' TS$1'))).toEqual(['bad.ts:3 TS2379', 'bad.ts:6 TS1360']);
  }, 120_000);
});
