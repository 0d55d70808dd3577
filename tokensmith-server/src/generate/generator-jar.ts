import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GenerateError } from './errors';

/**
 * The openapi-generator jar `generate --docs` runs: found where a user or this repository put it,
 * or fetched once through Maven into a per-user cache.
 */

/** The openapi-generator release the markdown docs are made with. */
export const GENERATOR_VERSION = '7.23.0';

/** Environment variable naming the openapi-generator jar, when `--generator-jar` is not given. */
export const GENERATOR_JAR_ENV = 'TOKENSMITH_GENERATOR_JAR';

/** Environment variable overriding the per-user cache folder (see {@link tokensmithCacheDir}). */
export const CACHE_DIR_ENV = 'TOKENSMITH_CACHE_DIR';

const ARTIFACT = `org.openapitools:openapi-generator-cli:${GENERATOR_VERSION}`;
const JAR_FILE = `openapi-generator-cli-${GENERATOR_VERSION}.jar`;
/** Maven downloads about 30 MB; past this it is treated as stuck. */
const MAVEN_TIMEOUT_MS = 10 * 60_000;

/** The Maven command that fetches the jar into `./.generator/`, where {@link findGeneratorJar} looks. */
export const FETCH_GENERATOR_COMMAND = `mvn dependency:copy -Dartifact=${ARTIFACT} -DoutputDirectory=.generator`;

/** Where {@link findGeneratorJar} looks, and whether it may fetch. */
export interface FindGeneratorJarOptions {
  /** Home folder, for `~/.m2` and the cache. Default `os.homedir()`. */
  home?: string;
  /** Fetch the jar through Maven into the cache when it is nowhere else. Default true. */
  fetch?: boolean;
  /** Told, once, before a fetch starts (Maven takes a while the first time). */
  onFetch?: (message: string) => void;
}

/**
 * The per-user cache: `$TOKENSMITH_CACHE_DIR`, else `$XDG_CACHE_HOME/tokensmith` or
 * `~/.cache/tokensmith` (Linux), `~/Library/Caches/tokensmith` (macOS),
 * `%LOCALAPPDATA%\tokensmith\Cache` (Windows).
 */
export function tokensmithCacheDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir(), platform = process.platform): string {
  const given = env[CACHE_DIR_ENV];
  if (given) return path.resolve(given);
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'tokensmith', 'Cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'tokensmith');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'tokensmith');
}

/**
 * The openapi-generator jar to run: `explicit` (from `--generator-jar`), else the
 * `TOKENSMITH_GENERATOR_JAR` variable, else the first that exists of `./.generator/` (as
 * {@link FETCH_GENERATOR_COMMAND} or this repository's fetch script leave it), the per-user cache,
 * the local Maven repository and the npm wrapper's download folder; else, with Maven on the PATH,
 * fetched once with `mvn dependency:copy` into the cache. Also checks that Java runs. Java and
 * Maven are looked up on `env`'s PATH.
 *
 * @throws {GenerateError} `generator-missing`, naming the one command that gets what is missing.
 */
export function findGeneratorJar(explicit?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), options: FindGeneratorJarOptions = {}): string {
  if (spawnSync('java', ['-version'], { stdio: 'ignore', env }).error) {
    throw new GenerateError('generator-missing', '--docs needs Java 11 or later on the PATH (e.g. apt-get install openjdk-17-jre-headless); without --docs no Java is needed');
  }
  const given = explicit ?? env[GENERATOR_JAR_ENV];
  if (given !== undefined && given !== '') {
    const jar = path.resolve(cwd, given);
    if (!isFile(jar)) {
      const source = explicit === undefined ? GENERATOR_JAR_ENV : '--generator-jar';
      throw new GenerateError('generator-missing', `${source} names ${jar}, which is not a file; fetch the jar with \`${FETCH_GENERATOR_COMMAND}\``);
    }
    return jar;
  }
  const home = options.home ?? os.homedir();
  const cache = tokensmithCacheDir(env, home);
  const candidates = [
    path.join(cwd, '.generator', JAR_FILE),
    path.join(cwd, '.generator', `${GENERATOR_VERSION}.jar`),
    path.join(cache, JAR_FILE),
    path.join(home, '.m2', 'repository', 'org', 'openapitools', 'openapi-generator-cli', GENERATOR_VERSION, JAR_FILE),
    path.join(cwd, 'node_modules', '@openapitools', 'openapi-generator-cli', 'versions', `${GENERATOR_VERSION}.jar`),
  ];
  const found = candidates.find(isFile);
  if (found) return found;
  if (options.fetch === false) throw notFound();
  return fetchWithMaven(cache, env, options.onFetch);
}

function notFound(): GenerateError {
  return new GenerateError(
    'generator-missing',
    `--docs needs the openapi-generator ${GENERATOR_VERSION} jar: fetch it with \`${FETCH_GENERATOR_COMMAND}\` and run again from this folder, or pass --generator-jar <path> (or set ${GENERATOR_JAR_ENV})`,
  );
}

/** `mvn dependency:copy` into a scratch folder of the cache, then moved into place (never a half-written jar). */
function fetchWithMaven(cache: string, env: NodeJS.ProcessEnv, onFetch: ((message: string) => void) | undefined): string {
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(path.join(cache, 'fetch-'));
  try {
    onFetch?.(`fetching openapi-generator ${GENERATOR_VERSION} through Maven into ${cache} (once)`);
    const result = spawnSync('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${scratch}`], {
      encoding: 'utf8',
      env,
      maxBuffer: 16 * 1024 * 1024,
      timeout: MAVEN_TIMEOUT_MS,
      shell: process.platform === 'win32',
    });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw notFound();
    const fetched = path.join(scratch, JAR_FILE);
    if (result.status !== 0 || !isFile(fetched)) {
      const problem = firstMavenProblem(`${result.stdout ?? ''}\n${result.stderr ?? ''}`, result.error);
      throw new GenerateError('generator-missing', `Maven could not fetch ${ARTIFACT} (${problem}); fetch it with \`${FETCH_GENERATOR_COMMAND}\` or pass --generator-jar <path>`);
    }
    const jar = path.join(cache, JAR_FILE);
    renameSync(fetched, jar);
    return jar;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function firstMavenProblem(output: string, error: Error | undefined): string {
  if (error) return error.message;
  const lines = output.split('\n').map((line) => line.replace(/^\[ERROR\]\s*/, '').trim()).filter(Boolean);
  return (lines[0] ?? 'no output').slice(0, 300);
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}
