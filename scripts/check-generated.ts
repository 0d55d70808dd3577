/**
 * `npm run check:generated [-- --skip-docs] [--root DIR]`: regenerates into a temporary
 * directory and fails with a diff when the committed generated/ differs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GenerateError } from '../tokensmith-server/src/generate';
import { generateAll } from './lib/generate-all';
import { ROOT } from './lib/specs';

const { values } = parseArgs({ options: { 'skip-docs': { type: 'boolean' }, root: { type: 'string' } } });
const skipDocs = values['skip-docs'] ?? false;
// --root points at another checkout (openapi/ and generated/ side by side), as the staleness test does.
const root = path.resolve(values.root ?? ROOT);
const committed = path.join(root, 'generated');

async function main(): Promise<number> {
  const fresh = await mkdtemp(path.join(os.tmpdir(), 'tokensmith-generated-'));
  try {
    await generateAll({ outDir: fresh, skipDocs, root });
    // Without docs, compare only what was regenerated: the committed docs stand in for themselves.
    if (skipDocs && existsSync(path.join(committed, 'docs'))) {
      await cp(path.join(committed, 'docs'), path.join(fresh, 'docs'), { recursive: true });
    }
    const diff = spawnSync('git', ['diff', '--no-index', '--no-color', '--', committed, fresh], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (diff.status === 0) {
      console.log(`generated/ is up to date with openapi/${skipDocs ? ' (docs not checked)' : ''}.`);
      return 0;
    }
    console.error('generated/ is stale: run `npm run generate` and commit the result. Differences:\n');
    console.error((diff.stdout || diff.stderr).split(fresh).join('<regenerated>'));
    return 1;
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof GenerateError ? `check:generated: ${error.message}` : error);
    process.exitCode = 1;
  },
);
