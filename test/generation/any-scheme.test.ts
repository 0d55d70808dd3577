/**
 * `tokensmith generate` on the any-scheme fixture (test/fixtures/specs/any-scheme.yaml), a spec
 * shaped like published backend APIs with every security scheme kind: the security map is the
 * spec's own requirement objects and scheme objects; the one http-digest-only operation is listed
 * (stderr and the map's comment) without stopping the rest, and `--strict` refuses it; and the
 * credential parameters the auth supplies are optional in the generated types (openapi-ts #2073).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'specs', 'any-scheme.yaml');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Fixture {
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  components: { securitySchemes: Record<string, Record<string, unknown>> };
}
const fixture = parse(readFileSync(FIXTURE, 'utf8')) as Fixture;

// Under node_modules so that `openapi-fetch` resolves from the generated files.
const dir = mkdtempSync(path.join(ROOT, 'node_modules', '.cache-tokensmith-any-scheme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generate(outDir: string, ...extra: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tokensmith-server/src/cli/main.ts'), 'generate', '--spec', FIXTURE, '--name', 'depot', '--out', outDir, ...extra], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

let run: ReturnType<typeof generate>;
let strict: ReturnType<typeof generate>;
let security: string;
beforeAll(() => {
  run = generate(path.join(dir, 'gen'));
  const lab = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tokensmith-server/src/cli/main.ts'), 'generate', '--spec', path.join(ROOT, 'test/fixtures/specs/calibration-lab.json'), '--name', 'lab', '--out', path.join(dir, 'generated')], { cwd: ROOT, encoding: 'utf8' });
  if (lab.status !== 0) throw new Error(lab.stderr);
  strict = generate(path.join(dir, 'strict'), '--strict');
  security = readFileSync(path.join(dir, 'gen', 'depot.security.ts'), 'utf8');
}, 120_000);

describe('generate on the any-scheme fixture', () => {
  it('writes both files, exit status 0, and lists the one operation it cannot authenticate on stderr', () => {
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/wrote .*depot\.ts\nwrote .*depot\.security\.ts\n$/);
    expect(run.stderr).toBe(
      'tokensmith: 1 operation has no security requirement tokensmith can send (generated anyway; calling one throws before any network; --strict refuses them):\n' +
        '  GET /legacy/reports: "digestAuth" (http scheme "digest" is not supported (only basic and bearer))\n',
    );
  });

  it('names that operation in a comment of depot.security.ts, and only that one', () => {
    const comment = security.slice(security.indexOf('/*\n'), security.indexOf(' */\n'));
    expect(comment).toContain('One operation has no security requirement tokensmith can send');
    expect(comment.match(/^ \* {3}\S.*$/gm)).toEqual([' *   GET /legacy/reports: "digestAuth" (http scheme "digest" is not supported (only basic and bearer))']);
  });

  it('maps every operation to the requirement objects the spec declares, scopes and order kept', () => {
    const operations = Object.entries(fixture.paths).flatMap(([route, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({ key: `${method.toUpperCase()} ${route}`, security: item[method]!.security ?? fixture.security })),
    );
    expect(operations).toHaveLength(14);
    for (const { key, security: requirements } of operations) {
      expect(security).toContain(`\n  ${JSON.stringify(key)}: ${JSON.stringify(requirements)},\n`);
    }
    expect(security).toContain('"GET /health": [],');
    expect(security).toContain('"GET /rates": [{"queryKey":[]},{}],');
    expect(security).toContain('"POST /labels": [{"partnerKey":[],"depotOAuth":["labels:write"]}],');
  });

  it('keeps every scheme object as declared, relative URLs as written, without descriptions', () => {
    const block = security.slice(security.indexOf('export const securitySchemes = ') + 'export const securitySchemes = '.length, security.indexOf(' as const;'));
    const expected = Object.fromEntries(
      Object.entries(fixture.components.securitySchemes).map(([name, { description: _description, ...scheme }]) => [name, scheme]),
    );
    expect(JSON.parse(block)).toEqual(expected);
    expect(block).toContain('"tokenUrl": "/oauth2/token"');
    expect(block).toContain('"openIdConnectUrl": "/.well-known/openid-configuration"');
  });

  it('with --strict: exit status 1, one line naming the operation and scheme, nothing written', () => {
    expect({ status: strict.status, stdout: strict.stdout }).toEqual({ status: 1, stdout: '' });
    expect(strict.stderr).toMatch(/^tokensmith: .*any-scheme\.yaml: --strict: 1 operation has no security requirement tokensmith can send, so nothing was written: GET \/legacy\/reports: "digestAuth" .* \(code 40003\)\n$/);
    expect(existsSync(path.join(dir, 'strict'))).toBe(false);
  });
});

/**
 * Calls compiled with strict tsc against the generated types: credential parameters the auth
 * supplies may be left out, every other required parameter still may not, and an `Authorization`
 * the auth cannot supply (http digest) stays required. Each `@ts-expect-error` fails the compile
 * if its error does not occur.
 */
const CALLS = `import createClient from 'openapi-fetch';
import type { paths } from './gen/depot.js';
import type { operationSecurity, securitySchemes, OperationKey, SecuritySchemeName } from './gen/depot.security.js';

type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_: T): void {}

const client = createClient<paths>({ baseUrl: 'https://api.depot.example/v2' });

export async function calls(): Promise<void> {
  // Authorization (declared required; bearer supplies it) left out; X-Request-Id is no credential.
  await client.GET('/me', { params: { header: { 'X-Request-Id': 'r-1' } } });
  // @ts-expect-error X-Request-Id is still required
  await client.GET('/me', { params: { header: {} } });
  // X-API-Key (a required $ref'd header parameter; the partnerKey apiKey supplies it) left out.
  await client.GET('/parcels');
  await client.GET('/parcels', { params: { query: { limit: 10 } } });
  // api_key (a required query parameter; the queryKey apiKey supplies it) left out.
  await client.GET('/parcels/{parcelId}', { params: { path: { parcelId: 'p-1' } } });
  // @ts-expect-error the path parameter is still required
  await client.GET('/parcels/{parcelId}', { params: { path: {} } });
  // @ts-expect-error Authorization stays required where the scheme is one tokensmith cannot send (digest)
  await client.GET('/legacy/reports');
  await client.GET('/legacy/reports', { params: { header: { Authorization: 'Digest username="u"' } } });
  // The auth may still be overridden per call.
  await client.GET('/me', { params: { header: { Authorization: 'Bearer t', 'X-Request-Id': 'r-2' } } });
}

assertType<Equal<SecuritySchemeName, 'bearerAuth' | 'basicAuth' | 'partnerKey' | 'queryKey' | 'session' | 'depotOAuth' | 'oidc' | 'digestAuth'>>(true);
assertType<OperationKey extends \`\${'GET' | 'POST'} /\${string}\` ? true : false>(true);
assertType<Equal<(typeof operationSecurity)['POST /labels'][0]['depotOAuth'], readonly ['labels:write']>>(true);
assertType<Equal<(typeof operationSecurity)['GET /health'], readonly []>>(true);
assertType<Equal<(typeof securitySchemes)['depotOAuth']['flows']['clientCredentials']['tokenUrl'], '/oauth2/token'>>(true);
// @ts-expect-error not a scheme of this spec
export const misspelt: SecuritySchemeName = 'depotOauth';
`;

/** Compiles the files (relative to `dir`) with the repository's tsconfig; tsc's output, empty when clean. */
function typeCheck(files: string[]): { output: string; status: number | null } {
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: path.join(ROOT, 'tsconfig.json'), compilerOptions: { types: ['node'] }, include: files }));
  const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', dir], { encoding: 'utf8' });
  return { output: `${tsc.stdout}${tsc.stderr}`, status: tsc.status };
}

it('docs/generate.md: every ts snippet (the scheme kinds on the fixture, the bundled auths) type-checks against generated files', () => {
  const page = readFileSync(path.join(ROOT, 'docs', 'generate.md'), 'utf8');
  const snippets = [...page.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
  expect(snippets.length).toBeGreaterThanOrEqual(2);
  expect(snippets.some((code) => code.includes("from './generated/depot.security.js'"))).toBe(true);
  const files = snippets.map((code, index) => {
    writeFileSync(path.join(dir, `generate-md-${index}.ts`), `${code.replace(/'\.\/generated\/depot(\.security)?\.js'/g, "'./gen/depot$1.js'")}\nexport {};\n`);
    return `generate-md-${index}.ts`;
  });
  expect(typeCheck(files)).toEqual({ output: '', status: 0 });
}, 120_000);

it('the generated types let callers leave out the credential parameters the auth supplies, and only those', () => {
  writeFileSync(path.join(dir, 'calls.ts'), CALLS);
  expect(typeCheck(['calls.ts'])).toEqual({ output: '', status: 0 });
}, 120_000);
