/**
 * A consumer project outside the repository, set up from the packed tarballs as a user would:
 * `npm pack` both packages, `npm i` them into an empty folder (from npm's cache when it can), and
 * run commands there. Nothing in it can resolve to the repository's own node_modules.
 */
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Runs a command, failing with its output when it fails. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}) in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Like {@link run} without blocking the event loop: for programs that call servers running in
 * this (jest's) process.
 */
export function runAsync(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed (${error.code ?? error.signal}) in ${cwd}:\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Builds both packages when a dist is missing or older than its sources (CI builds before testing). */
export function ensureBuilt(): void {
  const built = [path.join(ROOT, 'dist', 'index.js'), path.join(ROOT, 'tokensmith-server', 'dist', 'cli.js')];
  const sources = ['src', 'generated', path.join('tokensmith-server', 'src')].map((dir) => path.join(ROOT, dir));
  const oldestBuild = Math.min(...built.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
  if (oldestBuild >= Math.max(...sources.map(newestMtime))) return;
  run('npm', ['run', '--silent', 'build'], ROOT);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** `npm pack` of the root package and the companion into `dir`; the tarballs' paths. */
export function packBoth(dir: string): { tokensmith: string; server: string } {
  const pack = (extra: string[]) => {
    const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir, ...extra], ROOT)) as { filename: string }[];
    return path.join(dir, info!.filename);
  };
  return { tokensmith: pack([]), server: pack(['-w', 'tokensmith-server']) };
}

/** An empty ESM project in a fresh folder under the OS temp dir. */
export function emptyProject(parent: string, name: string): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, type: 'module' }, null, 2));
  return dir;
}

/** `npm install` quietly, preferring npm's cache. */
export function npmInstall(project: string, specs: readonly string[], extra: readonly string[] = []): void {
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...extra, ...specs], project);
}

/** Packages under node_modules (npm's own list of what it installed) and their bytes on disk. */
export function footprint(project: string): { packages: string[]; bytes: number } {
  const lock = JSON.parse(readFileSync(path.join(project, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const packages = Object.keys(lock.packages).map((key) => key.replace(/^.*node_modules\//, ''));
  return { packages, bytes: treeBytes(path.join(project, 'node_modules')) };
}

function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(full);
    else total += lstatSync(full).size;
  }
  return total;
}

/** The version of a package the repository has installed, so the scratch install finds it in npm's cache. */
export function repoVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A fresh folder under the OS temp dir. */
export function tempDir(prefix: string): string {
  return execFileSync('mktemp', ['-d', path.join(os.tmpdir(), `${prefix}XXXXXX`)], { encoding: 'utf8' }).trim();
}

/**
 * `tokensmith serve --port 0 --admin` from the project's installed bin; resolves once it listens.
 * `output` keeps collecting what it prints.
 */
export function serveFromProject(project: string): Promise<{ url: string; process: ChildProcess; output: { stdout: string; stderr: string } }> {
  const child = spawn(path.join(project, 'node_modules', '.bin', 'tokensmith'), ['serve', '--port', '0', '--admin'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => void (output.stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output.stdout += chunk.toString();
      const match = /^listening on (http:\/\/\S+)/m.exec(output.stdout);
      if (match) resolve({ url: match[1]!, process: child, output });
    });
    child.on('exit', (code) => reject(new Error(`tokensmith serve exited (${code}): ${output.stdout}${output.stderr}`)));
  });
}
