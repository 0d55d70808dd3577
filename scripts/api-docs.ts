/**
 * `prepack`: the API reference the tokensmith package ships, `docs/api/` (TypeDoc as markdown,
 * typedoc.json), made again only when a source it documents is newer than it, so repeated packs
 * (the package tests pack several times) cost nothing. `npm run docs` always remakes it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/specs';

const INDEX = path.join(ROOT, 'docs', 'api', 'README.md');
const SOURCES = ['src', 'generated', 'tokensmith-server/src/server', 'typedoc.json'].map((entry) => path.join(ROOT, entry));

function newestMtime(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry, { withFileTypes: true, recursive: true })) {
    if (child.isFile()) newest = Math.max(newest, statSync(path.join(child.parentPath, child.name)).mtimeMs);
  }
  return newest;
}

if (existsSync(INDEX) && statSync(INDEX).mtimeMs >= Math.max(...SOURCES.map(newestMtime))) {
  process.exit(0);
}
// TypeDoc's output goes to stderr: `npm pack --json` prints its JSON on stdout after this script.
const typedoc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc')], { cwd: ROOT, stdio: ['ignore', 2, 2] });
process.exitCode = typedoc.status ?? 1;
