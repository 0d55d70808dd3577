import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The package as users get it: `npm pack` of the build, unpacked into `<app>/node_modules/tokensmith`
 * of a scratch app inside the repository. Its dependencies resolve from the repository's
 * node_modules by the usual climb, so nothing is downloaded.
 */
export function installPackedPackage(root: string, appDir: string): string {
  rmSync(appDir, { recursive: true, force: true });
  const target = join(appDir, 'node_modules', 'tokensmith');
  mkdirSync(target, { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', appDir], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync('tar', ['-xzf', join(appDir, tarball), '-C', target, '--strip-components=1']);
  rmSync(join(appDir, tarball));
  writeFileSync(join(appDir, 'package.json'), `${JSON.stringify({ name: 'runtime-matrix-app', private: true, type: 'module' }, null, 2)}\n`);
  // Its own tsconfig, so the repository's `paths` (tokensmith -> src/) cannot reach the app: Bun
  // and esbuild both honour the nearest tsconfig.
  writeFileSync(join(appDir, 'tsconfig.json'), '{}\n');
  return target;
}

/** Runs `npm run build` unless dist/ is newer than every file under src/ and generated/ (CI has just built). */
export function ensureBuild(root: string): void {
  const built = join(root, 'dist', 'index.js');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  const sources = [join(root, 'package.json'), join(root, 'tsup.config.ts'), ...['src', 'generated'].flatMap((dir) => filesUnder(join(root, dir)))];
  if (sources.every((file) => statSync(file).mtimeMs < builtAt)) return;
  process.stderr.write('runtime matrix: dist/ is missing or older than the sources; building\n');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}
