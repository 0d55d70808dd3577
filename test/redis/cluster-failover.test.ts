import { Redis } from 'ioredis';
import { TokenManager } from '../../src/core/token-manager';
import type { RedisTokenStore } from '../../src/redis';
import { keyLayout } from '../../src/redis/keys';
import { clusterNodes, clusterTarget, describeWithRedisCluster } from './helpers/env';
import { recordingLogger, type RecordingLogger } from './helpers/logger';
import { startOwnCluster, type OwnCluster } from './helpers/redis-cluster';

interface Token {
  token: string;
  expiresAt: number;
}

const STORE_KEY = 'failover-credential';
const PROCESSES = 4;
const CALLERS = 5;
// Short tokens, so the fleet goes through the store (refresh, lock, publish) all through the failovers.
const TOKEN_LIFETIME_MS = 1_500;

interface Node {
  id: string;
  port: number;
  master: boolean;
  masterId: string;
  slots: Array<[number, number]>;
}

/** The cluster's nodes as CLUSTER NODES says. */
async function topology(port: number): Promise<Node[]> {
  const client = new Redis(port, '127.0.0.1');
  try {
    const text = (await client.call('CLUSTER', 'NODES')) as string;
    return text
      .trim()
      .split('\n')
      .map((line) => {
        const [id = '', address = '', flags = '', masterId = '', , , , , ...slots] = line.split(' ');
        return {
          id,
          port: Number(address.split('@')[0]?.split(':')[1]),
          master: flags.split(',').includes('master') && !flags.includes('fail'),
          masterId,
          slots: slots.filter((s) => /^\d/.test(s)).map((s) => s.split('-').map(Number) as [number, number]),
        };
      });
  } finally {
    client.disconnect();
  }
}

/** The live master serving `slot` and its replica, if any, asked of the node on `port`. */
async function ownerOf(port: number, slot: number): Promise<{ master: Node; replica: Node | undefined }> {
  const nodes = await topology(port);
  const master = nodes.find((n) => n.master && n.slots.some(([from, to = from]) => slot >= from && slot <= to));
  if (!master) throw new Error(`no live master for slot ${slot}`);
  return { master, replica: nodes.find((n) => n.masterId === master.id) };
}

function replicaOf(owner: { replica: Node | undefined }): Node {
  if (!owner.replica) throw new Error('the master has no replica');
  return owner.replica;
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await condition().catch(() => false)); ) {
    if (Date.now() > deadline) throw new Error(`not met in ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeWithRedisCluster('Redis Cluster failover under load', () => {
  let cluster: OwnCluster;
  const stores: RedisTokenStore[] = [];
  let fetches = 0;
  const fetchToken = async (): Promise<Token> => ({ token: `token-${++fetches}`, expiresAt: Date.now() + TOKEN_LIFETIME_MS });

  function simulatedProcess(logger?: RecordingLogger): { store: RedisTokenStore; manager: TokenManager<Token> } {
    // A loaded CI box can be slow; this test is about failing over, not command latency.
    const store = clusterTarget(cluster.nodes).store({ prefix: 'failover:', commandTimeoutMs: 2_000, ...(logger ? { logger } : {}) });
    stores.push(store);
    return { store, manager: new TokenManager<Token>({ fetchToken, store, storeKey: STORE_KEY, retry: { maxAttempts: 1 } }) };
  }

  beforeAll(async () => {
    cluster = await startOwnCluster();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await cluster?.dispose();
  });

  it('a manual failover and then a killed master, while callers run: 0 failed calls, and sharing resumes', async () => {
    const seedPort = clusterNodes(cluster.nodes)[0]?.port ?? 0;
    const probe = new Redis(seedPort, '127.0.0.1');
    const slot = Number(await probe.call('CLUSTER', 'KEYSLOT', keyLayout('failover:', STORE_KEY).state));
    probe.disconnect();
    const loggers = Array.from({ length: PROCESSES }, () => recordingLogger());
    const fleet = loggers.map((logger) => simulatedProcess(logger));
    await until('every store is connected', async () => (await Promise.all(fleet.map(({ store }) => store.get('warm-up')))) !== undefined, 10_000);
    await Promise.all(fleet.map(({ manager }) => manager.getToken()));
    expect(fetches).toBe(1);

    let running = true;
    let calls = 0;
    const failures: unknown[] = [];
    let longestWaitMs = 0;
    const callers = fleet.flatMap(({ manager }) =>
      Array.from({ length: CALLERS }, async () => {
        while (running) {
          const started = Date.now();
          try {
            await manager.getToken();
            calls++;
          } catch (error) {
            failures.push(error);
          }
          longestWaitMs = Math.max(longestWaitMs, Date.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }),
    );
    const startedAt = Date.now();
    try {
      await new Promise((resolve) => setTimeout(resolve, 2 * TOKEN_LIFETIME_MS));

      // 1. Manual failover: the replica of the slot's master takes over, the old master steps down.
      const before = await ownerOf(seedPort, slot);
      const promoted = replicaOf(before);
      const promoter = new Redis(promoted.port, '127.0.0.1');
      await promoter.call('CLUSTER', 'FAILOVER');
      promoter.disconnect();
      await until('the replica took over', async () => (await ownerOf(promoted.port, slot)).master.port === promoted.port, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 2 * TOKEN_LIFETIME_MS));

      // 2. The new master dies: its replica (the old master) is promoted after the node timeout.
      const current = await ownerOf(promoted.port, slot);
      const survivor = replicaOf(current);
      cluster.killNode(current.master.port);
      await until('the old master took over again', async () => (await ownerOf(survivor.port, slot)).master.port === survivor.port, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 2 * TOKEN_LIFETIME_MS));
    } finally {
      running = false;
      await Promise.all(callers);
    }
    const elapsedMs = Date.now() - startedAt;

    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(PROCESSES * CALLERS * 10);
    // One fetch per token lifetime for the whole fleet, give or take the failovers.
    const lifetimes = Math.ceil(elapsedMs / TOKEN_LIFETIME_MS);
    if (process.env['TOKENSMITH_FIGURES']) {
      console.log(JSON.stringify({ elapsedMs, calls, failures: failures.length, fetches: fetches - 1, lifetimes, longestWaitMs }));
    }
    expect(fetches - 1).toBeLessThanOrEqual(2 * lifetimes + 2 * PROCESSES);

    // Sharing works on the new topology: stores reach the new master, and sharded pub/sub wakes waiters there.
    await until('every store reaches Redis', async () => stores.every((store) => store.available), 10_000);
    const late = simulatedProcess();
    const shared = await fleet[0]!.manager.getToken({ force: true });
    const fetched = fetches;
    expect((await late.manager.getToken()).token).toBe(shared.token);
    expect(fetches).toBe(fetched);
    const waiter = fleet[1]!.store;
    await waiter.acquireLock('wake-check', 'waiter', 5_000);
    await until('a waiter on the new master is woken', async () => {
      const woken = waiter.waitForUpdate('wake-check', 2_000).then(() => true);
      await fleet[2]!.store.set('wake-check', { value: { token: 'x' }, obtainedAt: Date.now() }, 10_000);
      const wokeAt = Date.now();
      await woken;
      return Date.now() - wokeAt < 1_000;
    }, 10_000);
  }, 90_000);
});
