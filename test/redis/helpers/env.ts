/**
 * Redis tests run against a real redis-server at `REDIS_URL` (`.ci/run` starts one). Without it a
 * developer's run skips them loudly; CI without it fails, so a green CI always means they ran.
 */
export const REDIS_URL = process.env['REDIS_URL'];

const inCi = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

/**
 * `describe` when `REDIS_URL` is set; otherwise a failing test in CI, and elsewhere a `describe.skip`
 * whose title carries the reason, which jest's output then shows after its summary.
 */
export function describeWithRedis(name: string, body: (redisUrl: string) => void): void {
  if (REDIS_URL) {
    describe(name, () => body(REDIS_URL));
    return;
  }
  if (inCi) {
    describe(name, () => {
      it('has a Redis to run against', () => {
        throw new Error('REDIS_URL is not set: CI must start a redis-server and export REDIS_URL (see .ci/run)');
      });
    });
    return;
  }
  // The reason in the title is what test/reporters/skip-reasons.cjs prints after jest's summary.
  describe.skip(`${name} [skipped: ${NO_REDIS_REASON}]`, () => body('redis://127.0.0.1:6379'));
}

/** Why the Redis suites did not run, and how to run them. */
export const NO_REDIS_REASON = 'REDIS_URL is not set; start redis-server and run REDIS_URL=redis://127.0.0.1:6379 npx jest test/redis';
