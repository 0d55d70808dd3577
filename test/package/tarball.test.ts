/**
 * tokensmith as a user meets it: both packages packed, installed into an empty project outside the
 * repository, and used only through what the tarballs contain.
 *
 * - `npm i --engine-strict <tokensmith tarball>` alone: at most 3 packages, at most 1.5 MB.
 * - `npx tokensmith generate` on two fixture specs shaped like published ones; a TypeScript file
 *   with an openapi-fetch call for every operation of both compiles under strict `tsc`, and
 *   wrong calls do not.
 * - Run against a recording server: every protected operation carries the scheme the spec
 *   allows (AblyAuth with the key and with a token, MetquayAuth, a custom TokenManager), and
 *   `security: []` operations carry none.
 * - The README's Quickstart snippets, compiled against the installed types, run against
 *   `tokensmith serve --port 0` from the companion tarball.
 *
 * Needs npm and packages from the registry (or npm's cache, preferred); one pack and one install
 * for the whole file. The jar-based `--docs` check runs when `npm run fetch:generator` has been run.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { startTokenServer, type TokenServer } from '../../examples/ably-token-server';
import { adminClient } from '../../tokensmith-server/src/server/admin/client';
import { DEMO_CREDENTIALS } from '../../tokensmith-server/src/server/demo-config';
import { PRELUDE, RUNNER, SNIPPET_REQUESTS, quickstartSnippets, snippetEnv } from '../examples/readme-snippets';
import { AUTH_PATHS, NETWORK_FAILURES_PROGRAM } from './helpers/network-failures';
import { specOperations, type SpecOperation } from './helpers/operation-calls';
import { RECORDER_ACCESS_TOKEN, startRecorder, type Recorded } from './helpers/recorder';
import { ROOT, emptyProject, ensureBuilt, footprint, npmInstall, packBoth, repoVersion, run, runAsync, serveFromProject, tempDir } from './helpers/scratch';

jest.setTimeout(600_000);

const ABLY_KEY = 'fixtureApp.fixtureKey:fixture-key-secret-0123456789';
const ABLY_TOKEN = 'fixture-literal-token';
const CUSTOM_TOKEN = 'custom-manager-token';

const FIXTURES = [
  { name: 'ably-rest', file: path.join(ROOT, 'test/fixtures/specs/ably-rest-wide.yaml') },
  { name: 'calibration-lab', file: path.join(ROOT, 'test/fixtures/specs/calibration-lab.json') },
] as const;

interface Spec {
  doc: { components: { securitySchemes: Record<string, { type: string; scheme?: string }> } } & Parameters<typeof specOperations>[0];
  operations: SpecOperation[];
}
const specs = Object.fromEntries(
  FIXTURES.map(({ name, file }) => {
    const doc = parse(readFileSync(file, 'utf8')) as Spec['doc'];
    return [name, { doc, operations: specOperations(doc) }];
  }),
) as Record<(typeof FIXTURES)[number]['name'], Spec>;

/** Each client of the calls program: which spec, where it sends, the scheme it can send and the header value. */
const CLIENTS = [
  { variable: 'ablyWithKey', spec: 'ably-rest', prefix: '/ably-key', scheme: 'basic', header: `Basic ${Buffer.from(ABLY_KEY).toString('base64')}` },
  { variable: 'ablyWithToken', spec: 'ably-rest', prefix: '/ably-token', scheme: 'bearer', header: `Bearer ${Buffer.from(ABLY_TOKEN).toString('base64')}` },
  { variable: 'labWithMetquayAuth', spec: 'calibration-lab', prefix: '/metquay', scheme: 'bearer', header: `Bearer ${RECORDER_ACCESS_TOKEN}` },
  { variable: 'labWithCustomManager', spec: 'calibration-lab', prefix: '/custom', scheme: 'bearer', header: `Bearer ${CUSTOM_TOKEN}` },
] as const;

let scratch: string;
let project: string;
let tarballs: { tokensmith: string; server: string };
let alone: { packages: string[]; bytes: number };

beforeAll(() => {
  const started = Date.now();
  ensureBuilt();
  scratch = tempDir('tokensmith-tarball-');
  tarballs = packBoth(scratch);
  project = emptyProject(scratch, 'consumer');
  npmInstall(project, [tarballs.tokensmith], ['--engine-strict']);
  alone = footprint(project);
  // generate's optional peers (openapi-typescript, typescript); @types/node for the snippets.
  npmInstall(project, [
    tarballs.tokensmith,
    tarballs.server,
    `openapi-typescript@${repoVersion('openapi-typescript')}`,
    `typescript@${repoVersion('typescript')}`,
    `@types/node@${repoVersion('@types/node')}`,
  ]);
  process.stdout.write(`tarball scratch install ready in ${Date.now() - started} ms\n`);
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const tokensmith = (args: readonly string[]) => run('npx', ['--no', 'tokensmith', ...args], project);

// 1.5 MB until this round; the package now ships its reference (docs/ with the TypeDoc markdown,
// about 0.4 MB) and tokensmith/schemas (the bundled specs' request schemas, which the companion
// imports by name, about 0.2 MB): 1.93 MB measured, so the budget is 2 MiB.
it('npm i --engine-strict of the tokensmith tarball installs at most 3 packages and 2 MiB', () => {
  process.stdout.write(`tokensmith alone: ${alone.packages.length} packages (${alone.packages.join(', ')}), ${alone.bytes} bytes\n`);
  expect(alone.packages.length).toBeLessThanOrEqual(3);
  expect(alone.packages).toContain('tokensmith');
  expect(alone.bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
});

it('a network failure on each auth path rejects with a TokensmithError (80000, no HTTP status, the cause kept)', async () => {
  writeFileSync(path.join(project, 'network-failures.mjs'), NETWORK_FAILURES_PROGRAM);
  const out = await runAsync(process.execPath, ['network-failures.mjs'], project);
  const outcomes = out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(outcomes.map((outcome) => outcome.path)).toEqual([...AUTH_PATHS]);
  for (const outcome of outcomes) {
    expect(outcome).toEqual({ path: outcome.path, tokensmith: true, name: 'TransportError', code: 80000, statusCode: 0, hasCause: true, quotesSecret: false });
  }
});

describe('generated clients for the fixture specs, from the tarballs', () => {
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let calls: number;

  beforeAll(async () => {
    for (const { name, file } of FIXTURES) {
      expect(tokensmith(['generate', '--spec', file, '--name', name, '--out', 'src/gen'])).toBe(
        `wrote ${path.join('src/gen', `${name}.ts`)}\nwrote ${path.join('src/gen', `${name}.security.ts`)}\n`,
      );
    }
    writeFileSync(path.join(project, 'src', 'calls.ts'), callsProgram());
    writeFileSync(path.join(project, 'src', 'wrong-calls.ts'), WRONG_CALLS);
    writeReadmeSnippets();
    writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    run(path.join(project, 'node_modules', '.bin', 'tsc'), ['-p', '.'], project);
    recorder = await startRecorder();
    const out = await runAsync(process.execPath, ['dist/calls.js'], project, { ...process.env, RECORDER_URL: recorder.url, ABLY_KEY });
    calls = (JSON.parse(out) as { calls: number }).calls;
  });
  afterAll(() => recorder?.close());

  it('every operation of both specs compiles as an openapi-fetch call (strict tsc), and wrong calls do not', () => {
    // tsc -p above exited 0: every call type-checked, and every @ts-expect-error in wrong-calls.ts met its error.
    expect(calls).toBe(CLIENTS.reduce((sum, client) => sum + specs[client.spec].operations.length, 0));
    expect(specs['ably-rest'].operations).toHaveLength(24);
    expect(specs['calibration-lab'].operations).toHaveLength(17);
  });

  it.each(CLIENTS)('$variable: the scheme the spec allows on every protected operation, none on security: []', (client) => {
    const { doc, operations } = specs[client.spec];
    const schemeOf = (name: string) => {
      const declared = doc.components.securitySchemes[name]!;
      return declared.type === 'http' ? declared.scheme?.toLowerCase() : declared.type;
    };
    const sent = new Map<string, string | null>();
    for (const request of recorder.requests.filter((r: Recorded) => r.path.startsWith(`${client.prefix}/`))) {
      sent.set(`${request.method} ${request.path.slice(client.prefix.length)}`, request.authorization);
    }
    const expected = new Map(
      operations.map((op) => {
        const canSend = op.security.some((alternative) => alternative.length === 1 && schemeOf(alternative[0]!) === client.scheme);
        return [`${op.method} ${op.concretePath}`, canSend ? client.header : null];
      }),
    );
    expect(Object.fromEntries(sent)).toEqual(Object.fromEntries(expected));
  });

  it('between the two Ably clients, every protected operation was sent with a scheme it allows', () => {
    const protectedOps = specs['ably-rest'].operations.filter((op) => op.security.length > 0 && !op.security.some((alt) => alt.length === 0));
    for (const op of protectedOps) {
      const headers = recorder.requests.filter((r) => r.method === op.method && (r.path === `/ably-key${op.concretePath}` || r.path === `/ably-token${op.concretePath}`));
      expect([op.key, headers.some((r) => r.authorization !== null)]).toEqual([op.key, true]);
    }
    expect(specs['ably-rest'].operations.filter((op) => op.security.length === 0).map((op) => op.key)).toEqual(['GET /time']);
    expect(specs['calibration-lab'].operations.filter((op) => op.security.length === 0).map((op) => op.key)).toEqual(['POST /authenticate']);
  });

  it('README Quickstart snippets run from the install against `tokensmith serve` of the companion tarball', async () => {
    let served: { url: string; process: ChildProcess } | undefined;
    let tokenEndpoint: TokenServer | undefined;
    try {
      served = await serveFromProject(project);
      tokenEndpoint = await startTokenServer({ key: DEMO_CREDENTIALS.ablyKey, port: 0, identify: () => 'alice' });
      const files = readdirSync(path.join(project, 'dist', 'readme')).filter((f) => /^snippet-\d+\.js$/.test(f)).sort((a, b) => parseInt(a.slice(8), 10) - parseInt(b.slice(8), 10));
      expect(files.length).toBeGreaterThanOrEqual(7);
      const env = { PATH: process.env.PATH ?? '', ...snippetEnv(served.url, new URL(tokenEndpoint.authUrl).origin) };
      await runAsync(process.execPath, ['dist/readme/runner.js', ...files.map((f) => path.join(project, 'dist', 'readme', f))], project, env);
      const log = (await adminClient(served.url).requests()).map((r) => `${r.method} ${r.path} ${r.status}`);
      expect(log.filter((line) => !/ 20[01]$/.test(line))).toEqual([]);
      for (const expected of SNIPPET_REQUESTS) expect(log).toContain(expected);
    } finally {
      served?.process.kill('SIGTERM');
      await tokenEndpoint?.close();
    }
  });
});

const jar = path.join(ROOT, '.generator', `${JSON.parse(readFileSync(path.join(ROOT, 'openapitools.json'), 'utf8'))['generator-cli'].version}.jar`);
(existsSync(jar) ? it : it.skip)('generate --docs writes the markdown pages in the user\'s folder, given --generator-jar', () => {
  tokensmith(['generate', '--spec', FIXTURES[1].file, '--name', 'lab', '--out', 'docs-out', '--docs', '--generator-jar', jar]);
  const pages = readdirSync(path.join(project, 'docs-out', 'docs', 'lab'), { recursive: true }).map(String);
  expect(pages).toContain('README.md');
  expect(readFileSync(path.join(project, 'docs-out', 'docs', 'lab', 'README.md'), 'utf8')).toMatch(/^<!-- Generated by `tokensmith generate` from /);
});

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    lib: ['ES2023', 'DOM'],
    types: ['node'],
    rootDir: 'src',
    outDir: 'dist',
  },
  include: ['src'],
};

/** A program that builds the four clients and calls every operation of their spec once. */
function callsProgram(): string {
  const lines = [
    "import { AblyAuth, MetquayAuth, TokenManager, createAuthMiddleware, createBearerProvider } from 'tokensmith';",
    "import { createApiClient } from 'tokensmith/client';",
    "import type { paths as AblyRestPaths } from './gen/ably-rest.js';",
    "import * as ablyRestSecurity from './gen/ably-rest.security.js';",
    "import type { paths as LabPaths } from './gen/calibration-lab.js';",
    "import * as labSecurity from './gen/calibration-lab.security.js';",
    '',
    "const recorder = process.env.RECORDER_URL ?? '';",
    "const key = process.env.ABLY_KEY ?? '';",
    'const ablyWithKey = createApiClient<AblyRestPaths>(ablyRestSecurity.defaultServerUrl, {',
    "  baseUrl: `${recorder}/ably-key`,",
    '  middleware: [new AblyAuth({ key, baseUrl: recorder }).middlewareFor(ablyRestSecurity)],',
    '});',
    'const ablyWithToken = createApiClient<AblyRestPaths>(ablyRestSecurity.defaultServerUrl, {',
    "  baseUrl: `${recorder}/ably-token`,",
    `  middleware: [new AblyAuth({ token: '${ABLY_TOKEN}', baseUrl: recorder }).middlewareFor(ablyRestSecurity)],`,
    '});',
    "const metquay = new MetquayAuth({ baseUrl: `${recorder}/metquay-login`, accessKey: 'fixture-access', secretKey: 'fixture-secret' });",
    'const labWithMetquayAuth = createApiClient<LabPaths>(labSecurity.defaultServerUrl, {',
    "  baseUrl: `${recorder}/metquay`,",
    '  middleware: [metquay.middlewareFor(labSecurity)],',
    '});',
    `const manager = new TokenManager({ fetchToken: async () => ({ token: '${CUSTOM_TOKEN}', expiresAt: Date.now() + 600_000 }) });`,
    'const labWithCustomManager = createApiClient<LabPaths>(labSecurity.defaultServerUrl, {',
    "  baseUrl: `${recorder}/custom`,",
    '  middleware: [createAuthMiddleware({ ...labSecurity, provider: createBearerProvider(manager) })],',
    '});',
    '',
    'let calls = 0;',
  ];
  for (const client of CLIENTS) {
    for (const op of specs[client.spec].operations) {
      const args = [`'${op.path}'`, ...(op.init ? [op.init] : [])].join(', ');
      lines.push(`await ${client.variable}.${op.method}(${args});`, 'calls++;');
    }
  }
  lines.push('console.log(JSON.stringify({ calls }));', '');
  return lines.join('\n');
}

const WRONG_CALLS = `import createClient from 'openapi-fetch';
import type { paths as AblyRestPaths } from './gen/ably-rest.js';
import type { paths as LabPaths } from './gen/calibration-lab.js';

const ably = createClient<AblyRestPaths>();
const lab = createClient<LabPaths>();
export async function wrongCalls(): Promise<void> {
  // @ts-expect-error the path parameter is channel_id
  await ably.GET('/channels/{channel_id}', { params: { path: { channelId: 'x' } } });
  // @ts-expect-error no such path
  await lab.GET('/customer');
  // @ts-expect-error a customer needs a name
  await lab.POST('/customers', { body: {} });
  // @ts-expect-error customerId is a number
  await lab.GET('/customers/{customerId}', { params: { path: { customerId: 'c1' } } });
  // @ts-expect-error time takes no body on GET
  await ably.POST('/time');
}
`;

function writeReadmeSnippets(): void {
  const dir = path.join(project, 'src', 'readme');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'prelude.ts'), `${PRELUDE}\nexport {};\n`);
  writeFileSync(path.join(dir, 'runner.ts'), `${RUNNER}\nexport {};\n`);
  quickstartSnippets(path.join(ROOT, 'README.md')).forEach((snippet, index) => {
    writeFileSync(path.join(dir, `snippet-${index + 1}.ts`), `${snippet}\nexport {};\n`);
  });
}
