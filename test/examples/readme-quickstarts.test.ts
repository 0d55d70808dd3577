/**
 * Type-checks and runs every TypeScript snippet of the README's Quickstart section, verbatim except
 * for the package name. The snippets run one after another in one child process (one tsx start);
 * a prelude sends their hosts (rest.ably.io, api.example.com, metquay.example.com) to local
 * servers and refuses any other non-loopback host.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { startTokenServer, type TokenServer } from '../../examples/ably-token-server';
import { DEMO_CREDENTIALS, ROOT, runExample, startLocalServer, type LocalServer } from './helpers';

const DIR = join(ROOT, 'tmp', `readme-snippets-${process.pid}`);

const PRELUDE = `
const hosts: Record<string, string> = JSON.parse(process.env.SNIPPET_HOSTS ?? '{}');
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  const target = hosts[url.origin];
  if (target === undefined) {
    if (url.hostname !== '127.0.0.1') throw new Error('snippet tried to reach ' + url.origin);
    return realFetch(request);
  }
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  return realFetch(target + url.pathname + url.search, { method: request.method, headers: request.headers, body, redirect: request.redirect, signal: request.signal });
};
`;

/** Imports each snippet in turn (each runs to completion, top-level await included); lists the failures. */
const RUNNER = `
import './prelude';
const failures: string[] = [];
for (const file of process.argv.slice(2)) {
  try {
    await import(file);
  } catch (error) {
    failures.push(file.split('/').pop() + ': ' + (error instanceof Error ? error.message : String(error)));
  }
}
if (failures.length > 0) {
  process.stderr.write(failures.join('\\n') + '\\n');
  process.exitCode = 1;
}
`;

/** The ```ts blocks of the README's Quickstart section: from its heading to the next heading of the same or a higher level. */
function quickstartSnippets(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const heading = /^(#{2,3}) Quickstart$/m.exec(readme);
  if (!heading) throw new Error('README.md has no "## Quickstart" or "### Quickstart" heading');
  const rest = readme.slice(heading.index + heading[0].length);
  const next = new RegExp(`^#{2,${heading[1]!.length}} `, 'm').exec(rest);
  const section = next ? rest.slice(0, next.index) : rest;
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

let local: LocalServer;
let tokenEndpoint: TokenServer;
const snippets = quickstartSnippets();

beforeAll(async () => {
  local = await startLocalServer();
  tokenEndpoint = await startTokenServer({ key: DEMO_CREDENTIALS.ablyKey, port: 0, identify: () => 'alice' });
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'prelude.ts'), PRELUDE);
  writeFileSync(join(DIR, 'runner.ts'), RUNNER);
});
afterAll(async () => {
  rmSync(DIR, { recursive: true, force: true });
  await tokenEndpoint.close();
  await local.server.close();
});

describe('README quickstart snippets', () => {
  it('the section has a snippet for each auth style', () => {
    const text = snippets.join('\n');
    expect(snippets.length).toBeGreaterThanOrEqual(7);
    for (const used of ['createAblyClient({ key', 'useTokenAuth: true', 'createTokenRequest', 'authCallback', 'authUrl', 'createJwt', 'createMetquayClient']) {
      expect(text).toContain(used);
    }
  });

  it('every snippet type-checks against the sources (strict, as the repo compiles)', () => {
    const files = snippets.map((snippet, index) => {
      const file = join(DIR, `typed-${index + 1}.ts`);
      writeFileSync(file, `${snippet.replace(/from 'tokensmith'/g, "from '../../src'")}\nexport {};\n`);
      return file;
    });
    const program = ts.createProgram(files, {
      noEmit: true,
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file && files.includes(diagnostic.file.fileName))
      .map((diagnostic) => `${diagnostic.file!.fileName.slice(DIR.length + 1)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`);
    expect(problems).toEqual([]);
  }, 120_000);

  it('every snippet runs to completion against the local servers', async () => {
    const env = {
      ABLY_KEY: DEMO_CREDENTIALS.ablyKey,
      METQUAY_ACCESS_KEY: DEMO_CREDENTIALS.metquayAccessKey,
      METQUAY_SECRET_KEY: DEMO_CREDENTIALS.metquaySecretKey,
      SNIPPET_HOSTS: JSON.stringify({
        'https://rest.ably.io': local.server.url,
        'https://metquay.example.com': local.server.url,
        'https://api.example.com': new URL(tokenEndpoint.authUrl).origin,
      }),
    };
    const files = snippets.map((snippet, index) => {
      const file = join(DIR, `snippet-${index + 1}.ts`);
      writeFileSync(file, `${snippet.replace(/from 'tokensmith'/g, "from '../../src'")}\nexport {};\n`);
      return file;
    });
    const run = await runExample(join(DIR, 'runner.ts'), env, files);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const log = await local.log();
    expect(log.filter((line) => !/ 20[01]$/.test(line))).toEqual([]);
    for (const expected of ['POST /keys/demoApp.demoKey/requestToken 200', 'POST /api/v1/authenticate 200', 'POST /channels/orders/messages 201']) {
      expect(log).toContain(expected);
    }
  }, 120_000);
});
