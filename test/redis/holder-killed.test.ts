import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeWithRedis } from './helpers/env';
import { startTokenEndpoint, type TokenEndpoint } from './helpers/token-endpoint';
import { killAllWorkers, startWorker } from './helpers/workers';

const LOCK_TTL_MS = 2_000;
const POLL_MAX_MS = 200;
const WAITERS = 3;

describeWithRedis('lock holder killed mid-fetch', (redisUrl) => {
  let endpoint: TokenEndpoint;
  let redis: Redis;

  beforeAll(async () => {
    endpoint = await startTokenEndpoint({ hang: 1 });
    redis = new Redis(redisUrl);
  });
  afterEach(killAllWorkers);
  afterAll(async () => {
    await endpoint?.close();
    redis?.disconnect();
  });

  it('the waiting processes take over once the lock TTL runs out, with one more fetch between them', async () => {
    const prefix = `test:killed:${randomUUID()}:`;
    const env = {
      MODE: 'plain',
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      TOKEN_URL: endpoint.url,
      LOCK_TTL_MS: String(LOCK_TTL_MS),
      POLL_MAX_MS: String(POLL_MAX_MS),
    };
    const holder = startWorker({ ...env, CALLS: '1' });
    const waiters = Array.from({ length: WAITERS }, () => startWorker({ ...env, CALLS: '20' }));
    await holder.ready;
    holder.go();
    // The fetch only starts once the lock is held; its remaining TTL says when it was taken.
    await endpoint.arrived(1);
    const remainingMs = await redis.pttl(`${prefix}plain-worker-credential:lock`);
    expect(remainingMs).toBeGreaterThan(0);
    const lockedAt = Date.now() - (LOCK_TTL_MS - remainingMs);
    await Promise.all(waiters.map((w) => w.ready));
    for (const waiter of waiters) waiter.go();
    holder.kill();
    const killedAt = Date.now();
    await expect(holder.result).rejects.toThrow(/without a result/);

    const results = await Promise.all(waiters.map((w) => w.result));
    const recoveredAt = Math.max(...results.map((r) => r.doneAt));

    expect(results.flatMap((r) => r.failures)).toEqual([]);
    expect(new Set(results.flatMap((r) => r.tokens))).toEqual(new Set(['token-2']));
    expect(endpoint.arrivals).toHaveLength(2);
    const takeoverAt = endpoint.arrivals[1] ?? 0;
    // Nobody fetched while the dead holder's lock was live, and someone did soon after it lapsed.
    expect(takeoverAt - lockedAt).toBeGreaterThanOrEqual(LOCK_TTL_MS - 20);
    expect(takeoverAt - lockedAt).toBeLessThan(LOCK_TTL_MS + POLL_MAX_MS + 1_000);
    expect(recoveredAt - killedAt).toBeLessThan(LOCK_TTL_MS + 1_000);
  }, 60_000);
});
