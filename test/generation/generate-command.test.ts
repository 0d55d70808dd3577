/**
 * `tokensmith generate`: what it accepts (3.0 and 3.1, YAML and JSON, $refs, server variables),
 * and what it refuses, each with one line that names the problem.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Every scheme kind the auth applies: generated, nothing listed. */
const everyKind = [
  ['apiKey in a header', { type: 'apiKey', in: 'header', name: 'X-Api-Key' }],
  ['apiKey in the query', { type: 'apiKey', in: 'query', name: 'api_key' }],
  ['apiKey in a cookie', { type: 'apiKey', in: 'cookie', name: 'session' }],
  ['http basic', { type: 'http', scheme: 'basic' }],
  ['http Bearer (any case)', { type: 'http', scheme: 'Bearer' }],
  ['oauth2 client credentials, relative tokenUrl', { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: { read: 'r' } } } }],
  ['oauth2 authorization code', { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'https://a.example/authorize', tokenUrl: 'https://a.example/token', scopes: {} } } }],
  ['openIdConnect', { type: 'openIdConnect', openIdConnectUrl: 'https://a.example/.well-known/openid-configuration' }],
].map(([label, scheme]) => job(label as string, { spec: write('api.yaml', onlyScheme(scheme as object)) }));
everyKind.push(
  job('mutualTLS (3.1)', { spec: write('api.json', JSON.stringify(spec({}, '3.1.0')).replace(JSON.stringify(bearer), '{"type":"mutualTLS"}')) }),
  job('two schemes at once (AND)', { spec: write('api.yaml', stringify(spec({ security: [{ token: [], other: [] }], components: { ...(spec().components as object), securitySchemes: { token: bearer, other: { type: 'apiKey', in: 'header', name: 'X-Key' } } } }))) }),
);

/** A spec with three operations tokensmith cannot authenticate, and three it can. */
const threeUnsupported = stringify(
  spec({
    paths: {
      '/digest': { get: { security: [{ digest: [] }], responses: { '200': { description: 'ok' } } } },
      '/digest-or-basic': { get: { security: [{ digest: [] }, { basic: [] }], responses: { '200': { description: 'ok' } } } },
      '/hoba-or-broken-key': { post: { security: [{ hoba: [] }, { broken: [], basic: [] }], responses: { '200': { description: 'ok' } } } },
      '/and-with-digest': { get: { security: [{ basic: [], digest: [] }], responses: { '200': { description: 'ok' } } } },
      '/open': { get: { security: [], responses: { '200': { description: 'ok' } } } },
      '/optional': { get: { security: [{ digest: [] }, {}], responses: { '200': { description: 'ok' } } } },
    },
    components: {
      securitySchemes: {
        token: bearer,
        basic: { type: 'http', scheme: 'basic' },
        digest: { type: 'http', scheme: 'digest' },
        hoba: { type: 'http', scheme: 'HOBA' },
        broken: { type: 'apiKey', in: 'body', name: 'key' },
      },
    },
  }),
);
const listed = job('three unsupported operations', { spec: write('api.yaml', threeUnsupported) });
const strict = job('three unsupported operations, strict', { spec: write('api.yaml', threeUnsupported), strict: true });

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
  [job('scopes that are not a list', { spec: write('api.yaml', stringify(spec({ security: [{ token: 'read' }] }))) }), 'spec-invalid', /"GET \/items\/\{item_id\}": security scheme "token" must map to a list of scopes/],
  [strict, 'security-unsupported', /--strict: 3 operations have no security requirement tokensmith can send, so nothing was written: GET \/digest: "digest" \(http scheme "digest" is not supported .*\) \| POST \/hoba-or-broken-key: "hoba" .*; or "broken" \(apiKey "in" must be header, query or cookie\) \| GET \/and-with-digest: "digest"/],
  [job('an invalid document', { spec: write('api.yaml', stringify(spec({ paths: { '/health': { get: { responses: 'none' } } } }))) }), 'spec-invalid', /api\.yaml is not a valid OpenAPI document: .+/],
  [job('--docs with a jar path that does not exist', { spec: write('api.yaml', stringify(spec())), docs: true, generatorJar: path.join(dir, 'missing.jar') }), 'generator-missing', new RegExp(`missing\\.jar, which is not a file; fetch the jar with \`${FETCH_GENERATOR_COMMAND.replace(/[.]/g, '\\.')}\``)],
  [job('a --name that is not a file name', { spec: write('api.yaml', stringify(spec())), name: '../evil' }), 'invalid-argument', /--name must be a file name/],
];

describe('tokensmith generate accepts', () => {
  it.each(accepted)('%s: writes the types and the security map, server variables at their defaults', (label) => {
    const outcome = outcomes.get(label)!;
    expect(outcome).toEqual({ ok: true, written: ['api.ts', 'api.security.ts'], unsupported: [] });
    const outDir = jobs.get(label)!.outDir;
    const security = readFileSync(path.join(outDir, 'api.security.ts'), 'utf8');
    expect(security).toContain('export const defaultServerUrl = "https://eu.api.example/v2";');
    expect(security).toContain('"GET /items/{item_id}": [{"token":[]}],');
    expect(security).toContain('"GET /health": []');
    const types = readFileSync(path.join(outDir, 'api.ts'), 'utf8');
    expect(types).toMatch(/^\/\/ Generated by `tokensmith generate` from .*api\.(yaml|json)\. Do not edit by hand\./);
    expect(types).toContain('"/items/{item_id}": {');
    expect(types).toContain('item_id: string;');
  });

  it('an operation that also accepts bearer, though its first alternative is an API key', () => {
    expect(outcomes.get(alsoBearer)).toEqual({ ok: true, written: ['api.ts', 'api.security.ts'], unsupported: [] });
  });

  it.each(everyKind)('%s: generated with nothing listed as unsupported', (label) => {
    expect(outcomes.get(label)).toEqual({ ok: true, written: ['api.ts', 'api.security.ts'], unsupported: [] });
  });
});

describe('operations tokensmith cannot authenticate: never all or nothing', () => {
  it('generates the spec and lists every such operation, in one run, with the blocking scheme of each alternative', () => {
    const outcome = outcomes.get(listed)!;
    expect(outcome).toEqual({
      ok: true,
      written: ['api.ts', 'api.security.ts'],
      unsupported: [
        { operation: 'GET /digest', blockers: [{ scheme: 'digest', problem: 'http scheme "digest" is not supported (only basic and bearer)' }] },
        {
          operation: 'POST /hoba-or-broken-key',
          blockers: [
            { scheme: 'hoba', problem: 'http scheme "HOBA" is not supported (only basic and bearer)' },
            { scheme: 'broken', problem: 'apiKey "in" must be header, query or cookie' },
          ],
        },
        { operation: 'GET /and-with-digest', blockers: [{ scheme: 'digest', problem: 'http scheme "digest" is not supported (only basic and bearer)' }] },
      ],
    });
  });

  it('names them in a comment of <name>.security.ts, and still maps every operation', () => {
    const security = readFileSync(path.join(jobs.get(listed)!.outDir, 'api.security.ts'), 'utf8');
    const comment = security.slice(security.indexOf('/*\n'), security.indexOf(' */\n'));
    expect(comment).toContain('3 operations have no security requirement tokensmith can send');
    expect(comment).toContain(' *   GET /digest: "digest" (http scheme "digest" is not supported (only basic and bearer))\n');
    expect(comment).toContain(' *   POST /hoba-or-broken-key: "hoba" (http scheme "HOBA" is not supported (only basic and bearer)); or "broken" (apiKey "in" must be');
    expect(comment).not.toContain('/digest-or-basic');
    expect(comment).not.toContain('/optional');
    expect(security).toContain('"GET /digest": [{"digest":[]}],');
    expect(security).toContain('"GET /optional": [{"digest":[]},{}],');
  });

  it('with strict, writes nothing', () => {
    expect(existsSync(jobs.get(strict)!.outDir)).toBe(false);
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
