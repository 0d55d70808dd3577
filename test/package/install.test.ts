/**
 * Installing tokensmith-server as a user would, from the packed tarballs into an empty project:
 *
 * - `npm i --engine-strict` of both tarballs passes on the Node this runs on (CI: Node 20, the
 *   floor of both packages' `engines`), and `serve` alone is at most 30 packages and 15 MB.
 * - `tokensmith serve` runs from that install: one listening line, a Host it does not own refused.
 * - `tokensmith generate` without its optional peers exits 1 with one line naming the install
 *   command; after that command (engine-strict too) it generates.
 *
 * Needs npm and packages from the registry (or npm's cache, preferred); slow.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { GENERATE_INSTALL_COMMAND } from '../../tokensmith-server/src/generate/optional-deps';
import { ROOT, emptyProject, ensureBuilt, footprint, npmInstall, packBoth, repoVersion, serveFromProject, tempDir } from './helpers/scratch';

jest.setTimeout(600_000);

const MAX_SERVE_PACKAGES = 30;
const MAX_SERVE_BYTES = 15 * 1024 * 1024;

let scratch: string;
let project: string;
let serveOnly: { packages: string[]; bytes: number };

beforeAll(() => {
  ensureBuilt();
  scratch = tempDir('tokensmith-install-');
  const tarballs = packBoth(scratch);
  project = emptyProject(scratch, 'serve-only');
  npmInstall(project, [tarballs.tokensmith, tarballs.server], ['--engine-strict']);
  serveOnly = footprint(project);
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

test(`npm i --engine-strict of both tarballs passes on Node ${process.versions.node}; serve alone is <= ${MAX_SERVE_PACKAGES} packages and <= 15 MB`, () => {
  process.stdout.write(`serve alone: ${serveOnly.packages.length} packages (${serveOnly.packages.join(', ')}), ${mb(serveOnly.bytes)}\n`);
  expect(serveOnly.packages).toEqual(expect.arrayContaining(['tokensmith', 'tokensmith-server']));
  expect(serveOnly.packages).not.toContain('openapi-typescript');
  expect(serveOnly.packages).not.toContain('typescript');
  expect(serveOnly.packages.length).toBeLessThanOrEqual(MAX_SERVE_PACKAGES);
  expect(serveOnly.bytes).toBeLessThanOrEqual(MAX_SERVE_BYTES);
  // What the engine check held the install to: both packages claim the Node this test runs on.
  for (const name of ['tokensmith', 'tokensmith-server']) {
    const manifest = JSON.parse(readFileSync(path.join(project, 'node_modules', name, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(manifest.engines.node).toBe('>=20');
  }
});

test('tokensmith serve from that install: one listening line, and a Host it does not own gets 403', async () => {
  const served = await serveFromProject(project);
  try {
    expect((await fetch(`${served.url}/time`)).status).toBe(200);
    const status = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(served.url);
      request({ host: '127.0.0.1', port, path: '/_admin/requests', headers: { host: 'evil.example' }, agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  } finally {
    const exited = new Promise((resolve) => served.process.once('exit', resolve));
    served.process.kill('SIGTERM');
    await exited;
  }
  const output = `${served.output.stdout}${served.output.stderr}`;
  expect(output.match(/listening/g)).toHaveLength(1);
});

test('tokensmith generate without openapi-typescript and typescript: exit 1, one line naming the install command', () => {
  const result = spawnSync(path.join(project, 'node_modules', '.bin', 'tokensmith'), ['generate', '--spec', path.join(ROOT, 'openapi', 'metquay.yaml'), '--name', 'metquay', '--out', 'gen'], {
    cwd: project,
    encoding: 'utf8',
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(
    `tokensmith: generate needs openapi-typescript and typescript, which are not installed (serve does not need them): run \`${GENERATE_INSTALL_COMMAND}\` (code 40003)\n`,
  );
  expect(existsSync(path.join(project, 'gen'))).toBe(false);
});

test('after that install command (engine-strict): generate writes the client; figures with generation', () => {
  // The command the error names, at the versions this repository uses so npm's cache serves them.
  expect(GENERATE_INSTALL_COMMAND).toBe('npm i -D openapi-typescript@^7 typescript@^5');
  npmInstall(project, [`openapi-typescript@${repoVersion('openapi-typescript')}`, `typescript@${repoVersion('typescript')}`], ['-D', '--engine-strict']);
  const withGeneration = footprint(project);
  process.stdout.write(`serve + generate: ${withGeneration.packages.length} packages, ${mb(withGeneration.bytes)}\n`);
  const result = spawnSync(path.join(project, 'node_modules', '.bin', 'tokensmith'), ['generate', '--spec', path.join(ROOT, 'openapi', 'metquay.yaml'), '--name', 'metquay', '--out', 'gen'], {
    cwd: project,
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe(`wrote ${path.join('gen', 'metquay.ts')}\nwrote ${path.join('gen', 'metquay.security.ts')}\n`);
});
