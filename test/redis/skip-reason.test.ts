/**
 * Without REDIS_URL (and outside CI) the Redis suites are skipped, and jest's own output says why:
 * jest prints nothing of an all-skipped file but a count, so the reason comes from
 * test/reporters/skip-reasons.cjs. Runs jest itself, as a developer would.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

it('a run without REDIS_URL names the reason after the summary', () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['REDIS_URL'];
  delete env['CI'];
  const jest = join(process.cwd(), 'node_modules', 'jest', 'bin', 'jest.js');
  const run = spawnSync(process.execPath, [jest, 'test/redis/store.test.ts', '--maxWorkers=1'], { env, encoding: 'utf8', timeout: 120_000 });
  expect(run.status).toBe(0);
  expect(run.stderr).toMatch(/SKIPPED \d+ tests in 1 file: REDIS_URL is not set; start redis-server and run REDIS_URL=redis:\/\/127\.0\.0\.1:6379 npx jest test\/redis\n/);
  expect(run.stderr).toMatch(/Tests: +\d+ skipped, \d+ total/);
}, 120_000);
