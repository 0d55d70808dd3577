import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A scratch project with the packed `tokensmith` tarball installed, as a consumer has it. */
export interface PackedInstall {
  /** The scratch project's folder: resolve `tokensmith` from here. */
  dir: string;
  /** Deletes the folder. */
  remove(): void;
}

/**
 * `npm pack`s the package at `root` (its `dist/` must be built) and installs the tarball into a
 * fresh scratch project, so sizes are measured on what a consumer's bundler really sees: the
 * built entries, the `exports` map and `sideEffects`, never the sources.
 */
export function installPacked(root: string): PackedInstall {
  const dir = mkdtempSync(join(tmpdir(), 'tokensmith-packed-'));
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
    if (!tarball) throw new Error('npm pack printed no tarball name');
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'size-probe', private: true, type: 'module' })}\n`);
    execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', join(dir, tarball)], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
