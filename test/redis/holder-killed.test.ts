import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { credentialIdentity } from '../../src/core/store';
import { DEFAULT_TOKEN_MANAGER_OPTIONS } from '../../src/core/token-manager';
import { keyLayout } from '../../src/redis/keys';
import { describeOnRedisTargets } from './helpers/env';
import { startTokenEndpoint, type TokenEndpoint } from './helpers/token-endpoint';
import { killAllWorkers, startWorker } from './helpers/workers';

const { ttlMs: LOCK_TTL_MS, pollMaxMs: POLL_MAX_MS } = DEFAULT_TOKEN_MANAGER_OPTIONS.lock;
const WAITERS = 3;
const ACCESS_KEY = 'holder-killed-access-key';

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await condition()); ) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// MetquayAuth with every lock option at its default, as a fleet runs it.
describeOnRedisTargets('lock holder killed mid-fetch', (target) => {
  let endpoint: TokenEndpoint;
  let redis: Redis | Cluster;

  beforeEach(async () => {
    endpoint = await startTokenEndpoint({ hang: 1 });
    redis = target.client();
  });
  afterEach(async () => {
    killAllWorkers();
    await endpoint?.close();
    redis?.disconnect();
  });

  it('a live holder keeps its lock past the TTL; once killed, a waiter takes over within the TTL plus one fetch, 2 fetches in all', async () => {
    const prefix = `test:killed:${randomUUID()}:`;
    const env = {
      ...target.env,
      MODE: 'metquay',
      REDIS_PREFIX: prefix,
      METQUAY_BASE_URL: endpoint.metquayBaseUrl,
      METQUAY_ACCESS_KEY: ACCESS_KEY,
      METQUAY_SECRET_KEY: 'holder-killed-secret-key',
    };
    const lockKey = keyLayout(prefix, credentialIdentity({ provider: 'metquay', baseUrl: endpoint.metquayBaseUrl, accessKey: ACCESS_KEY })).lock;
    const holder = startWorker({ ...env, CALLS: '1' });
    const waiters = Array.from({ length: WAITERS }, () => startWorker({ ...env, CALLS: '20' }));
    await Promise.all([holder.ready, ...waiters.map((w) => w.ready)]);
    const holderResult = holder.go();
    await endpoint.arrived(1);
    const results = Promise.all(waiters.map((w) => w.go()));

    // The holder's fetch hangs for 1.5 TTLs: its renewals keep the lock, so nobody else fetches.
    await new Promise((resolve) => setTimeout(resolve, LOCK_TTL_MS * 1.5));
    expect(endpoint.arrivals).toHaveLength(1);
    const remainingMs = await redis.pttl(lockKey);
    expect(remainingMs).toBeGreaterThan(0);
    // A renewal between this read and the kill only moves the lapse later.
    const lapsesNoEarlierThan = Date.now() + remainingMs;
    holder.kill();
    const killedAt = Date.now();
    await expect(holderResult).rejects.toThrow(/without a result/);

    const settled = await results;
    const recoveredAt = Math.max(...settled.map((r) => r.doneAt));
    expect(settled.flatMap((r) => r.failures)).toEqual([]);
    expect(new Set(settled.flatMap((r) => r.tokens))).toEqual(new Set(['token-2']));
    expect(endpoint.arrivals).toHaveLength(2);
    const takeoverAt = endpoint.arrivals[1] ?? 0;
    // Nobody fetched while the dead holder's lock was live, and someone did soon after it lapsed.
    expect(takeoverAt).toBeGreaterThanOrEqual(lapsesNoEarlierThan - 20);
    expect(takeoverAt - killedAt).toBeLessThan(LOCK_TTL_MS + POLL_MAX_MS + 1_000);
    expect(recoveredAt - killedAt).toBeLessThan(LOCK_TTL_MS + POLL_MAX_MS + 1_500);
    await until(async () => (await redis.exists(lockKey)) === 0, 2_000);
    await Promise.all(waiters.map((w) => w.end()));
  }, 60_000);
});
