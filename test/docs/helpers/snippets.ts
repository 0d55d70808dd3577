/**
 * The TypeScript snippets of the pages users read (the READMEs, docs/*.md, the bundled API docs'
 * index pages) and the compiler options they must compile under: what `tsc --init` writes with
 * TypeScript 5.9, plus the `node` types a backend project adds. Shared by the test that compiles
 * them against the sources and the one that compiles them against the installed tarballs.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** `tokensmith`, its subpath entries and `tokensmith-server` resolved to the sources, for tsconfig `paths`. */
export const SOURCE_PATHS = {
  tokensmith: [path.join(ROOT, 'src/index-node.ts')],
  'tokensmith/redis': [path.join(ROOT, 'src/redis/index.ts')],
  'tokensmith/otel': [path.join(ROOT, 'src/otel/index.ts')],
  'tokensmith/oauth2': [path.join(ROOT, 'src/oauth2/index.ts')],
  'tokensmith/client': [path.join(ROOT, 'src/client/index-node.ts')],
  'tokensmith/store': [path.join(ROOT, 'src/store/index.ts')],
  'tokensmith-server': [path.join(ROOT, 'tokensmith-server/src/server/index.ts')],
};

/** One ```ts block, or a block followed by the blocks without imports that continue it. */
export interface Snippet {
  /** The page, relative to the folder it was read from. */
  page: string;
  /** Line of the opening fence. */
  line: number;
  code: string;
}

/** The pages whose snippets users paste, relative to a package-shaped folder (the repo or an installed package). */
export function snippetPages(root: string): string[] {
  const inFolder = (folder: string) =>
    existsSync(path.join(root, folder)) ? readdirSync(path.join(root, folder)).filter((name) => name.endsWith('.md')).map((name) => `${folder}/${name}`) : [];
  const bundledDocs = ['ably', 'metquay'].map((name) => `generated/docs/${name}/README.md`).filter((page) => existsSync(path.join(root, page)));
  return ['README.md', ...inFolder('docs'), ...bundledDocs];
}

/**
 * Every ```ts block of a page. A block with no `import` continues the block before it on the
 * same page (one module); a block fenced ```ts fragment is an excerpt and is left out; a block
 * fenced ```ts prelude ("every snippet below assumes") opens every later block of the page.
 */
export function pageSnippets(root: string, page: string): Snippet[] {
  const text = readFileSync(path.join(root, page), 'utf8');
  const snippets: Snippet[] = [];
  let prelude = '';
  for (const match of text.matchAll(/^```ts( prelude)?\n([\s\S]*?)^```$/gm)) {
    const code = match[2]!;
    if (match[1]) {
      prelude += code;
      continue;
    }
    const line = text.slice(0, match.index).split('\n').length;
    const previous = snippets.at(-1);
    if (!/^import /m.test(code) && previous) previous.code += `\n${code}`;
    else snippets.push({ page, line, code: prelude + code });
  }
  return snippets;
}

/** A file name for a snippet: its page and line, e.g. `docs-redis-md-9.ts`. */
export function snippetFile(snippet: Snippet): string {
  return `${snippet.page.replace(/[^A-Za-z0-9]+/g, '-')}-${snippet.line}.ts`;
}

/** Relative imports that nodenext refuses: no extension (TS2835) or a `.ts` one. */
export function extensionlessImports(snippet: Snippet): string[] {
  return [...snippet.code.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) => match[1]!).filter((specifier) => !specifier.endsWith('.js'));
}

/**
 * `tsc --init` of TypeScript 5.9 (module nodenext, strict, exactOptionalPropertyTypes,
 * noUncheckedIndexedAccess, verbatimModuleSyntax, …) with `types: ["node"]` for `process.env`,
 * as a tsconfig.json's compilerOptions.
 */
export const TSC_INIT_COMPILER_OPTIONS = {
  module: 'nodenext',
  target: 'esnext',
  types: ['node'],
  sourceMap: true,
  declaration: true,
  declarationMap: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  strict: true,
  jsx: 'react-jsx',
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noUncheckedSideEffectImports: true,
  moduleDetection: 'force',
  skipLibCheck: true,
  noEmit: true,
} as const;

/**
 * Compiles `files` with a tsconfig (written as `config`) of these compilerOptions, extending the
 * repo's tsconfig when asked; the problems in those files only, one line each.
 */
export function typeCheck(config: string, files: string[], compilerOptions: Record<string, unknown>, extendsRepo: boolean): string[] {
  writeFileSync(config, JSON.stringify({ ...(extendsRepo ? { extends: path.join(ROOT, 'tsconfig.json') } : {}), compilerOptions, files }));
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d: ts.Diagnostic) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, ' ')); } };
  const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, host)!;
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file && files.includes(diagnostic.file.fileName))
    .map((d) => `${path.basename(d.file!.fileName)}:${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** {@link TSC_INIT_COMPILER_OPTIONS} with the sources for the packages: module preserve, which resolves them without extensions. */
export const TSC_INIT_AGAINST_SOURCES = { ...TSC_INIT_COMPILER_OPTIONS, module: 'preserve', paths: SOURCE_PATHS, lib: ['esnext', 'dom'] };

/** The fixture spec behind each `./generated/<name>.js` the docs snippets import. */
export const GENERATED_FIXTURES: Readonly<Record<string, string>> = {
  lab: 'test/fixtures/specs/calibration-lab.json',
  depot: 'test/fixtures/specs/any-scheme.yaml',
  billing: 'test/fixtures/specs/billing.yaml',
};

/**
 * The fixture to generate for each `./generated/<name>.js` the snippets import, as `[name, spec
 * path relative to the repository]`.
 * @throws when a snippet imports a name with no fixture in {@link GENERATED_FIXTURES}.
 */
export function generatedImports(snippets: readonly Snippet[]): [string, string][] {
  const names = new Set(snippets.flatMap((snippet) => [...snippet.code.matchAll(/from '\.\/generated\/([\w-]+)(?:\.security)?\.js'/g)].map((match) => match[1]!)));
  return [...names].sort().map((name) => {
    const fixture = GENERATED_FIXTURES[name];
    if (fixture === undefined) throw new Error(`a docs snippet imports ./generated/${name}.js: add the spec it stands for to GENERATED_FIXTURES`);
    return [name, fixture];
  });
}
