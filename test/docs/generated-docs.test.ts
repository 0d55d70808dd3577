/**
 * The generated API docs (generated/docs/<spec>/) read as TypeScript docs: rendered with a
 * CommonMark renderer, no page has a broken relative link, a literal HTML entity, a Java type
 * name, an indented code block or an empty table; and every spec operation and schema is
 * documented the way the spec says.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { typeCheckCallExamples } from './helpers/call-examples';
import { findProblems, readPages, type ProblemKind } from './helpers/doc-problems';

const ROOT = path.resolve(__dirname, '..', '..');
const SPECS = ['ably', 'metquay'] as const;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Spec {
  servers?: { url: string; variables?: Record<string, { default: string }> }[];
  paths: Record<string, Record<string, { operationId: string; description?: string; security?: unknown[] }>>;
  components: { schemas: Record<string, { description?: string; properties?: Record<string, unknown>; required?: string[] }> };
}

function docsDir(name: string): string {
  return path.join(ROOT, 'generated', 'docs', name);
}

function loadSpec(name: string): Spec {
  return parse(readFileSync(path.join(ROOT, 'openapi', `${name}.yaml`), 'utf8')) as Spec;
}

describe.each(SPECS)('generated/docs/%s', (name) => {
  const spec = loadSpec(name);
  const pages = readPages(docsDir(name));
  const apiText = pages.filter((page) => page.file.includes(`${path.sep}Apis${path.sep}`)).map((page) => page.source).join('\n');

  it('renders with no broken link, HTML entity, Java type, indented code block or empty table', () => {
    expect(pages.length).toBeGreaterThan(3);
    expect(findProblems(docsDir(name))).toEqual([]);
  });

  it('shows every operation as an openapi-fetch call, with the auth it needs', () => {
    const operations = Object.entries(spec.paths).flatMap(([route, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({ route, method, operation: item[method]! })),
    );
    expect(operations.length).toBeGreaterThan(0);
    for (const { route, method, operation } of operations) {
      const section = apiText.split(/^## /m).find((part) => part.startsWith(`${operation.operationId}\n`));
      expect(section).toBeDefined();
      expect(section).toContain(`await client.${method.toUpperCase()}('${route}'`);
      expect(section).toMatch(/^\*\*Auth:\*\* .+\.$/m);
      if (operation.security?.length === 0) expect(section).toContain('**Auth:** none.');
    }
  });

  it('keeps descriptions as the spec wrote them, so their lists and code spans render as markdown', () => {
    const described = Object.values(spec.paths).flatMap((item) => Object.values(item)).filter((operation) => operation.description);
    for (const operation of described) expect(apiText).toContain(`\n${operation.description!.trim()}\n`);
    for (const [schemaName, schema] of Object.entries(spec.components.schemas)) {
      if (!schema.description) continue;
      expect(readFileSync(path.join(docsDir(name), 'Models', `${schemaName}.md`), 'utf8')).toContain(`\n${schema.description.trim()}\n`);
    }
    expect(described.length).toBeGreaterThan(0);
  });

  it('declares every object schema as a TypeScript interface, optional exactly where the spec says', () => {
    let checked = 0;
    for (const [schemaName, schema] of Object.entries(spec.components.schemas)) {
      if (!schema.properties) continue;
      const page = readFileSync(path.join(docsDir(name), 'Models', `${schemaName}.md`), 'utf8');
      expect(page).toContain(`interface ${schemaName} {`);
      for (const property of Object.keys(schema.properties)) {
        const optional = schema.required?.includes(property) ? '' : '?';
        expect(page).toMatch(new RegExp(`^  ${property}${optional.replace('?', '\\?')}: \\S`, 'm'));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('names no server host that is only a server variable default', () => {
    for (const server of spec.servers ?? []) {
      if (!server.variables) continue;
      const withDefaults = server.url.replace(/\{([^}]+)\}/g, (whole, variable: string) => server.variables?.[variable]?.default ?? whole);
      for (const page of pages) expect(page.source).not.toContain(withDefaults);
      expect(pages.some((page) => page.source.includes(server.url))).toBe(true);
    }
  });
});

describe('the docs checker', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tokensmith-docs-check-'));
    mkdirSync(path.join(dir, 'Models'));
    // One page per mistake the old Java-flavoured docs made.
    const pages: Record<string, string> = {
      'README.md': '# Index\n\n- [Token](Models/Token.md#properties)\n- [Gone](Models/Gone.md)\n- [Here](#index)\n- [Nowhere](#nowhere)\n',
      'Models/Token.md': '# Token\n\n## Properties\n\n| Name | Type | Notes |\n|---|---|---|\n| **ttl** | **Long** | [optional] [default to null] |\n| **extras** | [**Map**](AnyType.md) | |\n',
      'Models/Empty.md': '# Empty\n\n| Name | Type |\n|---|---|\n',
      'Models/Described.md': '# Described\n\nIssue a token\n\n    Uses the &#x60;keyName&#x60; of the key&#39;s owner. [default to null]\n',
      'Models/Generic.md': '# Generic\n\nReturns `List<Message>`.\n',
    };
    for (const [file, text] of Object.entries(pages)) writeFileSync(path.join(dir, file), text);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds each kind of problem', () => {
    const found = findProblems(dir);
    const kinds = (kind: ProblemKind) => found.filter((problem) => problem.kind === kind).map((problem) => `${problem.page}: ${problem.detail}`);
    expect(kinds('broken-link')).toEqual([
      'Models/Token.md: AnyType.md: no such file',
      'README.md: Models/Gone.md: no such file',
      'README.md: #nowhere: no heading or anchor "nowhere"',
    ]);
    expect(kinds('html-entity')).toEqual(['Models/Described.md: &#x60;', 'Models/Described.md: &#x60;', 'Models/Described.md: &#39;']);
    expect(kinds('indented-code')).toHaveLength(1);
    expect(kinds('empty-table')).toEqual(['Models/Empty.md: a table with a header row and no body rows']);
    expect(kinds('java-type')).toEqual([
      'Models/Generic.md: List< in `List<Message>`',
      'Models/Token.md: Long',
      'Models/Token.md: [default to null]',
      'Models/Token.md: Map',
    ]);
  });
});

describe('the markdown templates', () => {
  it('ship in the tokensmith-server tarball, so `tokensmith generate --docs` finds them when installed', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--workspace', 'tokensmith-server'], { cwd: ROOT, encoding: 'utf8' });
    expect(packed.status).toBe(0);
    const [{ files }] = JSON.parse(packed.stdout) as [{ files: { path: string }[] }];
    const shipped = files.map((file) => file.path).filter((file) => file.startsWith('templates/markdown/'));
    const inRepo = readdirSync(path.join(ROOT, 'tokensmith-server', 'templates', 'markdown')).map((file) => `templates/markdown/${file}`);
    expect(shipped.sort()).toEqual(inRepo.sort());
    expect(shipped).toEqual(expect.arrayContaining(['templates/markdown/api.mustache', 'templates/markdown/generator.yaml']));
  });
});

describe('the call examples', () => {
  it('type-check against the generated paths with openapi-fetch, one per operation', () => {
    const operations = SPECS.map(loadSpec).reduce(
      (count, spec) => count + Object.values(spec.paths).flatMap((item) => METHODS.filter((method) => item[method])).length,
      0,
    );
    const result = typeCheckCallExamples(SPECS.map((name) => ({ name, docsDir: docsDir(name), typesModule: path.join(ROOT, 'generated', name) })));
    expect(result.examples).toBe(operations);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);
});
