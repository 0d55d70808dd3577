/**
 * Runs every TypeScript snippet of the README's Quickstart section, verbatim except for the package
 * name (test/docs/snippets-compile.test.ts type-checks them, with every other docs snippet). The
 * snippets run one after another in one child process (one tsx start); a prelude sends their hosts
 * (rest.ably.io, api.example.com, metquay.example.com) to local servers and refuses any other
 * non-loopback host.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTokenServer, type TokenServer } from '../../examples/ably-token-server';
import { DEMO_CREDENTIALS, ROOT, runExample, startLocalServer, type LocalServer } from './helpers';
import { PRELUDE, RUNNER, SNIPPET_REQUESTS, quickstartSnippets, snippetEnv } from './readme-snippets';

const DIR = join(ROOT, 'tmp', `readme-snippets-${process.pid}`);

let local: LocalServer;
let tokenEndpoint: TokenServer;
const snippets = quickstartSnippets(join(ROOT, 'README.md'));

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

  it('every snippet runs to completion against the local servers', async () => {
    const env = snippetEnv(local.server.url, new URL(tokenEndpoint.authUrl).origin);
    const files = snippets.map((snippet, index) => {
      const file = join(DIR, `snippet-${index + 1}.ts`);
      writeFileSync(file, `${snippet.replace(/from 'tokensmith'/g, "from '../../src'")}\nexport {};\n`);
      return file;
    });
    const run = await runExample(join(DIR, 'runner.ts'), env, files);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const log = await local.log();
    expect(log.filter((line) => !/ 20[01]$/.test(line))).toEqual([]);
    for (const expected of SNIPPET_REQUESTS) {
      expect(log).toContain(expected);
    }
  }, 120_000);
});
