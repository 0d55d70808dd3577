/**
 * The docs as a package user has them: both packages packed and installed into an empty project
 * outside the repository (one pack, one install for the file), then
 *
 * - every relative link of every page the packages ship (the READMEs, docs/, the bundled API docs)
 *   reaches a file inside the same installed package, and every `#anchor` a heading of it;
 * - `tokensmith serve --help` names a server reference the install has;
 * - the API reference (TypeDoc as markdown) is in the package;
 * - every TypeScript snippet of those pages compiles in a project made by the installed
 *   TypeScript's own `tsc --init` (module nodenext, strict, exactOptionalPropertyTypes,
 *   verbatimModuleSyntax, …; `types: ["node"]` added, as a backend project does), against the
 *   installed type declarations, with each `./generated/<name>.js` they import written by the
 *   installed `tokensmith generate` from its fixture spec.
 *
 * Needs npm and packages from the registry (or npm's cache, preferred).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { headingIds, links } from '../docs/helpers/links';
import { generatedImports, pageSnippets, snippetFile, snippetPages, type Snippet } from '../docs/helpers/snippets';
import { ROOT, emptyProject, ensureBuilt, npmInstall, packBoth, repoVersion, run, tempDir } from './helpers/scratch';

jest.setTimeout(600_000);

let scratch: string;
let project: string;
const installed = (name: string) => path.join(project, 'node_modules', name);

beforeAll(() => {
  const started = Date.now();
  ensureBuilt();
  scratch = tempDir('tokensmith-docs-');
  const tarballs = packBoth(scratch);
  project = emptyProject(scratch, 'docs-consumer');
  // typescript and @types/node as a TypeScript backend has them; openapi-typescript for generate
  // (an optional peer of the companion); ioredis and @opentelemetry/api for the tokensmith/redis and
  // tokensmith/otel snippets.
  npmInstall(project, [
    tarballs.tokensmith,
    tarballs.server,
    `typescript@${repoVersion('typescript')}`,
    `openapi-typescript@${repoVersion('openapi-typescript')}`,
    `@types/node@${repoVersion('@types/node')}`,
    `ioredis@${repoVersion('ioredis')}`,
    `@opentelemetry/api@${repoVersion('@opentelemetry/api')}`,
  ]);
  process.stdout.write(`docs scratch install ready in ${Date.now() - started} ms\n`);
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Every markdown file under a folder, relative to it. */
function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.md') && !file.startsWith('node_modules'));
}

describe.each(['tokensmith', 'tokensmith-server'])('the installed %s package', (name) => {
  it('ships every page a relative link of its pages names, and every heading an anchor names', () => {
    const root = installed(name);
    const pages = markdownFiles(root);
    expect(pages).toContain('README.md');
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const text = readFileSync(path.join(root, page), 'utf8');
      for (const link of links(text)) {
        if (/^[a-z]+:/i.test(link)) continue;
        checked += 1;
        const [target = '', anchor] = link.split('#');
        const file = target === '' ? path.join(root, page) : path.resolve(root, path.dirname(page), decodeURI(target));
        if (path.relative(root, file).startsWith('..')) broken.push(`${page}: ${link} leaves the package`);
        else if (!existsSync(file)) broken.push(`${page}: ${link} is not in the package`);
        else if (anchor !== undefined && file.endsWith('.md') && !headingIds(readFileSync(file, 'utf8')).has(anchor)) {
          broken.push(`${page}: ${link} has no heading #${anchor}`);
        }
      }
    }
    expect(broken).toEqual([]);
    if (name === 'tokensmith') expect(checked).toBeGreaterThan(20);
  });
});

it('serve --help names a server reference the install has, with the Config section', () => {
  const help = run(path.join(project, 'node_modules', '.bin', 'tokensmith'), ['serve', '--help'], project).replace(/\s+/g, ' ');
  const named = /(node_modules\/tokensmith\/docs\/server\.md)/.exec(help);
  expect(named).not.toBeNull();
  expect(headingIds(readFileSync(path.join(project, named![1]!), 'utf8')).has('config')).toBe(true);
});

it('has an API reference in the package: TypeDoc markdown of every entry', () => {
  const index = readFileSync(path.join(installed('tokensmith'), 'docs', 'api', 'README.md'), 'utf8');
  for (const entry of ['tokensmith', 'tokensmith/client', 'tokensmith/store', 'tokensmith/redis', 'tokensmith/oauth2', 'tokensmith-server']) expect(index).toContain(`[${entry}]`);
  const main = readFileSync(path.join(installed('tokensmith'), 'docs', 'api', 'tokensmith.md'), 'utf8');
  for (const name of ['AblyAuth', 'MetquayAuth', 'TokenManager', 'AblyAuthOptions']) {
    expect(main).toMatch(new RegExp(`^#+ ${name}\\b`, 'm'));
  }
  const client = readFileSync(path.join(installed('tokensmith'), 'docs', 'api', 'tokensmith', 'client.md'), 'utf8');
  for (const name of ['createAblyClient', 'createMetquayClient', 'createApiClient', 'paginate']) {
    expect(client).toMatch(new RegExp(`^#+ ${name}\\b`, 'm'));
  }
});

describe('the snippets of the installed pages, in a tsc --init project', () => {
  let snippets: Snippet[];
  let tsconfig: string;

  beforeAll(() => {
    const tsc = path.join(project, 'node_modules', '.bin', 'tsc');
    run(tsc, ['--init'], project);
    const config = path.join(project, 'tsconfig.json');
    tsconfig = readFileSync(config, 'utf8');
    // tsc --init leaves out every @types package; a Node backend adds node's for `process`.
    writeFileSync(config, tsconfig.replace('"types": [],', '"types": ["node"],'));
    const src = path.join(project, 'src');
    mkdirSync(src, { recursive: true });
    snippets = [
      ...snippetPages(installed('tokensmith')).flatMap((page) => pageSnippets(installed('tokensmith'), page)),
      ...pageSnippets(installed('tokensmith-server'), 'README.md').map((snippet) => ({ ...snippet, page: `tokensmith-server/${snippet.page}` })),
    ];
    for (const snippet of snippets) writeFileSync(path.join(src, snippetFile(snippet)), `${snippet.code}\nexport {};\n`);
    for (const [name, spec] of generatedImports(snippets)) {
      run('npx', ['--no', 'tokensmith', 'generate', '--spec', path.join(ROOT, spec), '--name', name, '--out', 'src/generated'], project);
    }
  });

  it('the project is what tsc --init writes: module nodenext, strict, exactOptionalPropertyTypes, verbatimModuleSyntax', () => {
    for (const setting of ['"module": "nodenext"', '"strict": true', '"exactOptionalPropertyTypes": true', '"verbatimModuleSyntax": true', '"types": []']) {
      expect(tsconfig).toContain(setting);
    }
    expect(JSON.parse(readFileSync(path.join(project, 'node_modules', 'typescript', 'package.json'), 'utf8')).version).toMatch(/^5\.9\./);
  });

  it('every snippet compiles against the installed types', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(15);
    expect([...new Set(snippets.map((snippet) => snippet.page))]).toEqual(
      expect.arrayContaining(['README.md', 'docs/generate.md', 'docs/redis.md', 'docs/server.md', 'generated/docs/ably/README.md', 'generated/docs/metquay/README.md', 'tokensmith-server/README.md']),
    );
    const tsc = path.join(project, 'node_modules', '.bin', 'tsc');
    let output = '';
    try {
      run(tsc, ['--noEmit', '-p', '.'], project);
    } catch (error) {
      output = (error as Error).message;
    }
    expect(output).toBe('');
  });
});
