/**
 * `generate --docs` finds the openapi-generator jar itself: fetched once through Maven into the
 * per-user cache when Maven is on the PATH, found there afterwards, and otherwise a refusal naming
 * the one command to run. The fetch runs the real `mvn dependency:copy` (Maven resolves from its
 * local repository when it holds the artifact); skipped where Java or Maven is not installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CACHE_DIR_ENV,
  FETCH_GENERATOR_COMMAND,
  GENERATOR_VERSION,
  findGeneratorJar,
  tokensmithCacheDir,
} from '../../tokensmith-server/src/generate/generator-jar';
import { GenerateError } from '../../tokensmith-server/src/generate/errors';

jest.setTimeout(600_000);

const has = (command: string) => !spawnSync(command, ['-version'], { stdio: 'ignore' }).error;
const withMaven = has('java') && has('mvn') ? describe : describe.skip;

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'tokensmith-jar-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

withMaven('with Java and Maven on the PATH', () => {
  test('fetched once through Maven into the cache, then found there without Maven', () => {
    const cache = path.join(scratch, 'cache');
    const env = { ...process.env, [CACHE_DIR_ENV]: cache };
    const told: string[] = [];
    // An empty home and working folder: no ~/.m2 copy, no ./.generator.
    const options = { home: scratch, onFetch: (message: string) => told.push(message) };
    const jar = findGeneratorJar(undefined, env, scratch, options);
    expect(jar).toBe(path.join(cache, `openapi-generator-cli-${GENERATOR_VERSION}.jar`));
    expect(existsSync(jar)).toBe(true);
    expect(told).toEqual([`fetching openapi-generator ${GENERATOR_VERSION} through Maven into ${cache} (once)`]);
    expect(findGeneratorJar(undefined, env, scratch, { ...options, fetch: false })).toBe(jar);
    expect(told).toHaveLength(1);
  });

  test('without Maven on the PATH: one line naming the command to run', () => {
    const javaDir = path.dirname(realpathSync(spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim()));
    const env = { PATH: javaDir, [CACHE_DIR_ENV]: path.join(scratch, 'cache') };
    const failure = (() => {
      try {
        return findGeneratorJar(undefined, env, scratch, { home: scratch });
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(GenerateError);
    expect(failure).toMatchObject({ code: 40003, reason: 'generator-missing', message: expect.stringContaining(`\`${FETCH_GENERATOR_COMMAND}\``) });
    expect((failure as Error).message).not.toContain('\n');
  });
});

test.each([
  ['linux', { XDG_CACHE_HOME: '/xdg' }, '/xdg/tokensmith'],
  ['linux', {}, '/home/u/.cache/tokensmith'],
  ['darwin', {}, '/home/u/Library/Caches/tokensmith'],
  ['win32', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, path.join('C:\\Users\\u\\AppData\\Local', 'tokensmith', 'Cache')],
  ['linux', { [CACHE_DIR_ENV]: '/given' }, '/given'],
] as const)('the cache folder on %s with %j is %s', (platform, env, expected) => {
  expect(tokensmithCacheDir(env, '/home/u', platform)).toBe(expected);
});
