/**
 * `tokensmith generate`: what it accepts (3.0 and 3.1, YAML and JSON, $refs, server variables),
 * and what it refuses, each with one line that names the problem.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { FETCH_GENERATOR_COMMAND, GENERATOR_VERSION } from '../../tokensmith-server/src/generate/docs';
import type { GenerateFailure } from '../../tokensmith-server/src/generate/errors';
import type { GenerateJob, GenerateOutcome } from './helpers/run-generate';

const ROOT = path.resolve(__dirname, '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'tokensmith-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every job of this file, run in one child process before the tests look at the outcomes. */
const jobs = new Map<string, GenerateJob>();
let outcomes = new Map<string, GenerateOutcome>();
function job(label: string, options: Partial<GenerateJob> & { spec: string }): string {
  jobs.set(label, { name: 'api', outDir: path.join(dir, `out-${jobs.size}`), ...options });
  return label;
}
beforeAll(() => {
  const file = path.join(dir, 'jobs.json');
  writeFileSync(file, JSON.stringify([...jobs.values()]));
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'helpers', 'run-generate.ts'), file], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`run-generate failed: ${run.stderr}`);
  const results = JSON.parse(run.stdout) as GenerateOutcome[];
  outcomes = new Map([...jobs.keys()].map((label, index) => [label, results[index]!]));
}, 120_000);

/** The refusal of a job: a GenerateError, code 40003, one line. */
function refusal(label: string): { reason: string | undefined; message: string } {
  const outcome = outcomes.get(label)!;
  if (outcome.ok) throw new Error(`${label}: expected a refusal, generated ${outcome.written.join(', ')}`);
  expect({ typed: outcome.typed, code: outcome.code }).toEqual({ typed: true, code: 40003 });
  expect(outcome.message).not.toContain('\n');
  return { reason: outcome.reason, message: outcome.message };
}

const bearer = { type: 'http', scheme: 'bearer' };

/** A small valid 3.0 document; `patch` changes parts of it. */
function spec(patch: Record<string, unknown> = {}, version = '3.0.3'): Record<string, unknown> {
  return {
    openapi: version,
    info: { title: 't', version: '1' },
    servers: [{ url: 'https://{region}.api.example/{base}', variables: { region: { default: 'eu' }, base: { default: 'v2' } } }],
    security: [{ token: [] }],
    paths: {
      '/items/{item_id}': {
        parameters: [{ $ref: '#/components/parameters/item_id' }],
        get: { operationId: 'getItem', responses: { '200': { $ref: '#/components/responses/ok' } } },
      },
      '/health': { get: { operationId: 'health', security: [], responses: { '200': { description: 'up' } } } },
    },
    components: {
      securitySchemes: { token: bearer },
      parameters: { item_id: { name: 'item_id', in: 'path', required: true, schema: { type: 'string' } } },
      responses: { ok: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
    ...patch,
  };
}

let files = 0;
/** Writes `text` to a fresh file ending in `name` (jobs run later, so names never collide). */
function write(name: string, text: string): string {
  const file = path.join(dir, `${++files}-${name}`);
  writeFileSync(file, text);
  return file;
}

const onlyScheme = (scheme: object): string => {
  const doc = spec();
  (doc.components as { securitySchemes: object }).securitySchemes = { token: scheme };
  return stringify(doc);
};

const accepted = [
  job('OpenAPI 3.0 YAML', { spec: write('api.yaml', stringify(spec({}, '3.0.3'))) }),
  job('OpenAPI 3.1 JSON', { spec: write('api.json', JSON.stringify(spec({}, '3.1.0'), null, 2)) }),
];
const alsoBearer = (() => {
  const doc = spec({ security: [{ key: [] }, { token: [] }] });
  (doc.components as { securitySchemes: object }).securitySchemes = { token: bearer, key: { type: 'apiKey', in: 'header', name: 'X-Key' } };
  return job('apiKey or bearer', { spec: write('api.yaml', stringify(doc)) });
})();

const refused: [string, GenerateFailure, RegExp][] = [
  [job('a missing file', { spec: path.join(dir, 'nope.yaml') }), 'spec-unreadable', /cannot read the spec .*nope\.yaml: no such file/],
  [job('a directory', { spec: os.tmpdir() }), 'spec-unreadable', /it is a directory/],
  [job('broken YAML', { spec: write('api.yaml', 'openapi: 3.0.3\npaths: [\n') }), 'spec-invalid', /is not valid YAML/],
  [job('broken JSON', { spec: write('api.json', '{"openapi": ') }), 'spec-invalid', /is not valid JSON/],
  [job('Swagger 2.0', { spec: write('api.yaml', 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n') }), 'spec-invalid', /Swagger 2\.0.*OpenAPI 3\.0 and 3\.1/],
  [job('no openapi version', { spec: write('api.yaml', 'info: {title: t}\n') }), 'spec-invalid', /no supported "openapi" version/],
  [job('a $ref to nothing', { spec: write('api.yaml', stringify(spec()).replace('#/components/parameters/item_id', '#/components/parameters/missing')) }), 'spec-invalid', /\$ref "#\/components\/parameters\/missing" points to nothing/],
  [job('a $ref to another file', { spec: write('api.yaml', stringify(spec()).replace('#/components/parameters/item_id', 'common.yaml#/item_id')) }), 'spec-invalid', /points outside the file; bundle the spec/],
  [job('an undeclared scheme', { spec: write('api.yaml', stringify(spec({ security: [{ nobody: [] }] }))) }), 'spec-invalid', /names security scheme "nobody", which components.securitySchemes does not declare/],
  [job('apiKey', { spec: write('api.yaml', onlyScheme({ type: 'apiKey', in: 'header', name: 'X-Api-Key' })) }), 'security-unsupported', /"GET \/items\/\{item_id\}" accepts only security scheme "token" \(type apiKey, a key in header field "X-Api-Key"\).*own openapi-fetch middleware/],
  [job('oauth2', { spec: write('api.yaml', onlyScheme({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://a.example/t', scopes: {} } } })) }), 'security-unsupported', /\(type oauth2\).*declare the scheme as \{ type: http, scheme: bearer \}/],
  [job('openIdConnect', { spec: write('api.yaml', onlyScheme({ type: 'openIdConnect', openIdConnectUrl: 'https://a.example/.well-known/openid-configuration' })) }), 'security-unsupported', /\(type openIdConnect\)/],
  [job('mutualTLS', { spec: write('api.json', JSON.stringify(spec({}, '3.1.0')).replace(JSON.stringify(bearer), '{"type":"mutualTLS"}')) }), 'security-unsupported', /\(type mutualTLS\): a client certificate goes on the TLS connection/],
  [job('http digest', { spec: write('api.yaml', onlyScheme({ type: 'http', scheme: 'digest' })) }), 'security-unsupported', /\(type http, scheme digest\): tokensmith sends http basic and bearer only/],
  [job('two schemes at once', { spec: write('api.yaml', stringify(spec({ security: [{ token: [], other: [] }], components: { ...(spec().components as object), securitySchemes: { token: bearer, other: bearer } } }))) }), 'security-unsupported', /needs two security schemes at once/],
  [job('an invalid document', { spec: write('api.yaml', stringify(spec({ paths: { '/health': { get: { responses: 'none' } } } }))) }), 'spec-invalid', /api\.yaml is not a valid OpenAPI document: .+/],
  [job('--docs with a jar path that does not exist', { spec: write('api.yaml', stringify(spec())), docs: true, generatorJar: path.join(dir, 'missing.jar') }), 'generator-missing', new RegExp(`missing\\.jar, which is not a file; fetch the jar with \`${FETCH_GENERATOR_COMMAND.replace(/[.]/g, '\\.')}\``)],
  [job('a --name that is not a file name', { spec: write('api.yaml', stringify(spec())), name: '../evil' }), 'invalid-argument', /--name must be a file name/],
];

describe('tokensmith generate accepts', () => {
  it.each(accepted)('%s: writes the types and the security map, server variables at their defaults', (label) => {
    const outcome = outcomes.get(label)!;
    expect(outcome).toEqual({ ok: true, written: ['api.ts', 'api.security.ts'] });
    const outDir = jobs.get(label)!.outDir;
    const security = readFileSync(path.join(outDir, 'api.security.ts'), 'utf8');
    expect(security).toContain('export const defaultServerUrl = "https://eu.api.example/v2";');
    expect(security).toMatch(/"GET \/items\/\{item_id\}": \[\s*\[\s*"token"\s*\]\s*\]/);
    expect(security).toContain('"GET /health": []');
    const types = readFileSync(path.join(outDir, 'api.ts'), 'utf8');
    expect(types).toMatch(/^\/\/ Generated by `tokensmith generate` from .*api\.(yaml|json)\. Do not edit by hand\./);
    expect(types).toContain('"/items/{item_id}": {');
    expect(types).toContain('item_id: string;');
  });

  it('an operation that also accepts bearer, though its first alternative is an API key', () => {
    expect(outcomes.get(alsoBearer)).toEqual({ ok: true, written: ['api.ts', 'api.security.ts'] });
  });
});

describe('tokensmith generate refuses, with one line naming the problem', () => {
  it.each(refused)('%s', (label, reason, message) => {
    expect(refusal(label)).toEqual({ reason, message: expect.stringMatching(message) });
  });

  it('from the command: one line on stderr with the code, exit status 1, no stack', () => {
    const file = write('api.yaml', 'swagger: "2.0"\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tokensmith-server/src/cli/main.ts'), 'generate', '--spec', file, '--name', 'api', '--out', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: '' });
    expect(run.stderr).toMatch(/^tokensmith: .*Swagger 2\.0.* \(code 40003\)\n$/);
  }, 60_000);
});

it('runs the openapi-generator release the repository pins', () => {
  const pinned = JSON.parse(readFileSync(path.join(ROOT, 'openapitools.json'), 'utf8')) as { 'generator-cli': { version: string } };
  expect(GENERATOR_VERSION).toBe(pinned['generator-cli'].version);
});
