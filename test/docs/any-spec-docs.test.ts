/**
 * `tokensmith generate --docs` on specs shaped like published ones (the acceptance fixtures: a
 * wide Ably-style 3.0.1 YAML, a Metquay-style 3.0.0 JSON with a server variable, and the
 * any-scheme YAML with every security scheme kind) writes docs as
 * clean as the bundled specs': no broken link, entity, Java type, indented code or empty table,
 * a call example per operation that type-checks, and no host that is only a variable default.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { GenerateJob, GenerateOutcome } from '../generation/helpers/run-generate';
import { typeCheckCallExamples } from './helpers/call-examples';
import { findProblems, readPages } from './helpers/doc-problems';
import { TSC_INIT_AGAINST_SOURCES, pageSnippets, typeCheck } from './helpers/snippets';

const ROOT = path.resolve(__dirname, '..', '..');
const JAR = path.join(ROOT, '.generator', `${(JSON.parse(readFileSync(path.join(ROOT, 'openapitools.json'), 'utf8')) as { 'generator-cli': { version: string } })['generator-cli'].version}.jar`);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const FIXTURES = [
  { name: 'wide', file: 'test/fixtures/specs/ably-rest-wide.yaml' },
  { name: 'lab', file: 'test/fixtures/specs/calibration-lab.json' },
  { name: 'depot', file: 'test/fixtures/specs/any-scheme.yaml' },
] as const;
const inCi = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

interface FixtureSpec {
  servers?: { url: string; variables?: Record<string, { default: string }> }[];
  paths: Record<string, Record<string, unknown>>;
}

function body(): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tokensmith-any-spec-docs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    const jobs: GenerateJob[] = FIXTURES.map(({ name, file }) => ({ spec: path.join(ROOT, file), name, outDir: dir, docs: true, generatorJar: JAR }));
    const jobsFile = path.join(dir, 'jobs.json');
    writeFileSync(jobsFile, JSON.stringify(jobs));
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test', 'generation', 'helpers', 'run-generate.ts'), jobsFile], { cwd: ROOT, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`run-generate failed: ${run.stderr}`);
    const outcomes = JSON.parse(run.stdout) as GenerateOutcome[];
    for (const outcome of outcomes) if (!outcome.ok) throw new Error(`generate failed: ${outcome.message}`);
  }, 180_000);

  it.each(FIXTURES)('$name: every page renders without a broken link, entity, Java type, indented code or empty table', ({ name }) => {
    expect(readPages(path.join(dir, 'docs', name)).length).toBeGreaterThan(5);
    expect(findProblems(path.join(dir, 'docs', name))).toEqual([]);
  });

  it("each index page's client snippet compiles beside the files generate wrote (tsc --init defaults)", () => {
    const files = FIXTURES.map(({ name }) => {
      const [snippet, ...more] = pageSnippets(dir, path.join('docs', name, 'README.md'));
      expect(more).toEqual([]);
      expect(snippet!.code).toContain(`from './${name}.js'`);
      const file = path.join(dir, `${name}-index-snippet.ts`);
      writeFileSync(file, snippet!.code);
      return file;
    });
    expect(typeCheck(path.join(dir, 'tsconfig.json'), files, TSC_INIT_AGAINST_SOURCES, false)).toEqual([]);
  }, 120_000);

  it.each(FIXTURES)('$name: names a server URL with its variables, never one built from their defaults', ({ name, file }) => {
    const spec = parse(readFileSync(path.join(ROOT, file), 'utf8')) as FixtureSpec;
    const pages = readPages(path.join(dir, 'docs', name));
    for (const server of spec.servers ?? []) {
      if (!server.variables) continue;
      const withDefaults = server.url.replace(/\{([^}]+)\}/g, (whole, variable: string) => server.variables?.[variable]?.default ?? whole);
      for (const page of pages) expect(page.source).not.toContain(withDefaults);
      expect(pages.some((page) => page.source.includes(server.url))).toBe(true);
    }
  });

  it('every operation of each has a call example that type-checks against its generated paths', () => {
    const operations = FIXTURES.reduce((count, { file }) => {
      const spec = parse(readFileSync(path.join(ROOT, file), 'utf8')) as FixtureSpec;
      return count + Object.values(spec.paths).flatMap((item) => METHODS.filter((method) => item[method])).length;
    }, 0);
    const result = typeCheckCallExamples(FIXTURES.map(({ name }) => ({ name, docsDir: path.join(dir, 'docs', name), typesModule: path.join(dir, name) })));
    expect(result.examples).toBe(operations);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);

  it('depot: the Authorization section says what each scheme kind sends and where; each operation names its scopes', () => {
    const readme = readFileSync(path.join(dir, 'docs', 'depot', 'README.md'), 'utf8');
    for (const line of [
      'HTTP Bearer (JWT): `Authorization: Bearer <token>`.',
      'HTTP Basic: `Authorization: Basic base64(user:password)`.',
      'API key in the `X-API-Key` header.',
      'API key in the `api_key` query parameter.',
      'API key in the `depot_session` cookie.',
      'OAuth 2, the access token as `Authorization: Bearer <token>`. Client credentials flow: token from `/oauth2/token` (relative to the server URL); scopes `parcels:read`, `parcels:write`, `tracking:read`, `labels:write`.',
      'OpenID Connect, the access token as `Authorization: Bearer <token>`; discovery document at `/.well-known/openid-configuration` (relative to the server URL).',
      'HTTP `digest`: tokensmith sends only HTTP Basic and Bearer, so an operation that accepts nothing else fails before any network.',
    ]) {
      expect(readme).toContain(`\n${line}\n`);
    }
    const apis = readPages(path.join(dir, 'docs', 'depot')).map((page) => page.source).join('\n');
    expect(apis).toContain('**Auth:** [`depotOAuth`](../README.md#depotoauth) (scope `labels:write`) and [`partnerKey`](../README.md#partnerkey).');
    expect(apis).toContain('**Auth:** [`depotOAuth`](../README.md#depotoauth) (scope `parcels:read`), or [`partnerKey`](../README.md#partnerkey).');
    expect(apis).toContain('**Auth:** [`queryKey`](../README.md#querykey), or none.');
    expect(apis).toContain('**Auth:** [`digestAuth`](../README.md#digestauth) (not sent by tokensmith).');
  });
}

const title = 'docs generated for specs shaped like published ones';
if (existsSync(JAR)) {
  describe(title, body);
} else if (inCi) {
  describe(title, () => {
    it('has the openapi-generator jar', () => {
      throw new Error(`${JAR} is missing: CI must run scripts/fetch-generator.sh first (see .ci/run)`);
    });
  });
} else {
  describe.skip(`${title} [skipped: the openapi-generator jar is missing; run npm run fetch:generator]`, body);
}
