import { Redis } from 'ioredis';
import { TokenManager } from '../../src/core/token-manager';
import type { RedisTokenStore } from '../../src/redis';
import { describeOnRedisTargets, startOwnDeployment, type OwnDeployment } from './helpers/env';
import { recordingLogger, type RecordingLogger } from './helpers/logger';

interface Token {
  token: string;
  expiresAt: number;
}

const STORE_KEY = 'outage-credential';
// Generous timeouts, so a loaded CI machine does not trip them while Redis is fine.
const FAST = { commandTimeoutMs: 500, connectTimeoutMs: 3_000, reconnectMaxDelayMs: 100, slowRetryMs: 1_000 };

describeOnRedisTargets('Redis outage', (kind) => {
  let redis: OwnDeployment;
  const stores: RedisTokenStore[] = [];
  let fetches = 0;
  const fetchToken = async (): Promise<Token> => ({ token: `token-${++fetches}`, expiresAt: Date.now() + 600_000 });

  function simulatedProcess(logger?: RecordingLogger): { store: RedisTokenStore; manager: TokenManager<Token> } {
    const store = redis.target.store({ ...FAST, ...(logger ? { logger } : {}) });
    stores.push(store);
    const manager = new TokenManager<Token>({ fetchToken, store, storeKey: STORE_KEY, retry: { maxAttempts: 1 } });
    return { store, manager };
  }

  async function timed<R>(task: () => Promise<R>): Promise<{ value: R; ms: number }> {
    const started = Date.now();
    const value = await task();
    return { value, ms: Date.now() - started };
  }

  async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    redis = await startOwnDeployment(kind);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await redis?.dispose();
  });

  it('keeps serving from each process while Redis is down, logs once, and shares again once it is back', async () => {
    const logger = recordingLogger();
    const a = simulatedProcess(logger);
    const b = simulatedProcess();
    expect(await a.manager.getToken()).toMatchObject({ token: 'token-1' });
    expect(await b.manager.getToken()).toMatchObject({ token: 'token-1' });
    expect(fetches).toBe(1);

    await redis.stop();
    // Each process falls back to its own single flight: 50 concurrent forced calls, one fetch.
    const down = await timed(() => Promise.all(Array.from({ length: 50 }, () => a.manager.getToken({ force: true }))));
    expect(new Set(down.value.map((t) => t.token))).toEqual(new Set(['token-2']));
    expect(down.ms).toBeLessThan(2_000);
    for (let round = 0; round < 5; round++) await a.manager.getToken({ force: true });
    expect((await b.manager.getToken({ force: true })).token).not.toBe('token-2');
    const cold = simulatedProcess();
    expect((await timed(() => cold.manager.getToken())).ms).toBeLessThan(1_000); // refused at once, not waited out
    expect(a.store.available).toBe(false);
    expect(logger.count('warn')).toBe(1);

    await redis.start();
    await until(() => stores.every((store) => store.available), 10_000);
    expect(logger.count('info')).toBe(1);
    const shared = await a.manager.getToken({ force: true });
    const before = fetches;
    const late = simulatedProcess();
    expect(await late.manager.getToken()).toMatchObject({ token: shared.token });
    expect(fetches).toBe(before);
    expect(logger.count('warn')).toBe(1);
  });

  it('a slow Redis costs a caller one command timeout, not a failure', async () => {
    const { store, manager } = simulatedProcess();
    await store.get('probe');
    // CLIENT PAUSE holds every client's commands, as an overloaded Redis would.
    const pausers = redis.ports.map((port) => new Redis(port, '127.0.0.1'));
    try {
      await Promise.all(pausers.map((pauser) => pauser.call('CLIENT', 'PAUSE', '2000', 'ALL')));
      const slow = await timed(() => manager.getToken({ force: true }));
      expect(slow.value.token).toMatch(/^token-\d+$/);
      // One timeout, then Redis is skipped; five commands each waiting out a timeout would take 2 s.
      expect(slow.ms).toBeLessThan(FAST.commandTimeoutMs * 3);
      await expect(store.get(STORE_KEY)).rejects.toMatchObject({ code: 50003 });
    } finally {
      await Promise.all(pausers.map((pauser) => pauser.call('CLIENT', 'UNPAUSE').catch(() => {})));
      for (const pauser of pausers) pauser.disconnect();
    }
  });
});
