import { Cluster, Redis } from 'ioredis';
import { RedisTokenStore, type RedisTokenStoreOptions } from '../../../src/redis';

/**
 * Redis tests run against a real redis-server at `REDIS_URL` (`.ci/run` starts one), and the
 * fleet, outage and holder-killed tests also against a Redis Cluster at `REDIS_CLUSTER_NODES`
 * (`host:port,host:port,…`; `scripts/redis-cluster.sh up DIR` starts one). Without `REDIS_URL` a
 * developer's run skips them and says why; CI without it fails, so a green CI always means they ran.
 */
export const REDIS_URL = process.env['REDIS_URL'];
export const REDIS_CLUSTER_NODES = process.env['REDIS_CLUSTER_NODES'];

const inCi = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

/** One Redis deployment to run a suite against: a single node or a cluster. */
export interface RedisTarget {
  /** `single node` or `cluster`, for test names. */
  name: string;
  /** The env a worker process needs to reach it (`REDIS_URL` or `REDIS_CLUSTER_NODES`). */
  env: Record<string, string>;
  /** A plain client for test assertions (a `Cluster` on a cluster); the caller disconnects it. */
  client(): Redis | Cluster;
  /** A store on it (on a cluster, over its own `Cluster` client); `close()` closes both. */
  store(options?: Omit<RedisTokenStoreOptions, 'url' | 'client'>): RedisTokenStore;
}

/** Parses `host:port,host:port`. */
export function clusterNodes(list: string): Array<{ host: string; port: number }> {
  return list.split(',').map((node) => {
    const [host = '127.0.0.1', port = '0'] = node.trim().split(':');
    return { host, port: Number(port) };
  });
}

/** A `Cluster` client set up to fail fast, as the README recommends. */
export function clusterClient(nodes: string, commandTimeoutMs = 500): Cluster {
  return new Cluster(clusterNodes(nodes), { enableOfflineQueue: false, redisOptions: { commandTimeout: commandTimeoutMs } });
}

export function singleNodeTarget(url: string): RedisTarget {
  return {
    name: 'single node',
    // Empty, not absent: a worker inherits this process's env, which may name the cluster.
    env: { REDIS_URL: url, REDIS_CLUSTER_NODES: '' },
    client: () => new Redis(url),
    store: (options = {}) => new RedisTokenStore({ ...options, url }),
  };
}

export function clusterTarget(nodes: string): RedisTarget {
  return {
    name: 'cluster',
    env: { REDIS_CLUSTER_NODES: nodes },
    client: () => new Cluster(clusterNodes(nodes)),
    store: (options = {}) => {
      const client = clusterClient(nodes, options.commandTimeoutMs);
      const store = new RedisTokenStore({ ...options, client });
      const close = store.close.bind(store);
      store.close = async () => {
        await close();
        client.disconnect();
      };
      return store;
    },
  };
}

/**
 * `describe` when `REDIS_URL` is set; otherwise a failing test in CI, and elsewhere a `describe.skip`
 * whose title carries the reason, which jest's output then shows (test/reporters/skip-reasons.cjs).
 */
export function describeWithRedis(name: string, body: (redisUrl: string) => void): void {
  if (REDIS_URL) {
    describe(name, () => body(REDIS_URL));
    return;
  }
  missing(name, () => body('redis://127.0.0.1:6379'));
}

/** Like {@link describeWithRedis}, once per target: the single node, and the cluster when `REDIS_CLUSTER_NODES` is set. */
export function describeOnRedisTargets(name: string, body: (target: RedisTarget) => void): void {
  if (!REDIS_URL) {
    missing(name, () => body(singleNodeTarget('redis://127.0.0.1:6379')));
    return;
  }
  describe(`${name} (single node)`, () => body(singleNodeTarget(REDIS_URL)));
  describeWithRedisCluster(`${name} (cluster)`, (nodes) => body(clusterTarget(nodes)));
}

/**
 * Like {@link describeWithRedis} for the cluster runs: `describe` when `REDIS_CLUSTER_NODES` is set;
 * otherwise a failing test in CI, a `describe.skip` with the reason elsewhere.
 */
export function describeWithRedisCluster(name: string, body: (nodes: string) => void): void {
  if (REDIS_CLUSTER_NODES) {
    describe(name, () => body(REDIS_CLUSTER_NODES));
    return;
  }
  missing(name, () => body('127.0.0.1:7000'), 'REDIS_CLUSTER_NODES', 'run scripts/redis-cluster.sh up /tmp/cluster and export the REDIS_CLUSTER_NODES it prints');
}

function missing(name: string, body: () => void, variable = 'REDIS_URL', howTo = 'start redis-server and run REDIS_URL=redis://127.0.0.1:6379 npx jest test/redis'): void {
  if (inCi) {
    describe(name, () => {
      it('has a Redis to run against', () => {
        throw new Error(`${variable} is not set: CI must start Redis and export ${variable} (see .ci/run)`);
      });
    });
    return;
  }
  // Jest shows nothing of an all-skipped file but a count: the reason in the title is what
  // test/reporters/skip-reasons.cjs prints with the results.
  describe.skip(`${name} [skipped: ${variable} is not set; ${howTo}]`, () => body());
}

/** A deployment of the test's own, like the target's kind, that the test may crash and restart. */
export interface OwnDeployment {
  target: RedisTarget;
  /** Every node's port. */
  ports: number[];
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** Starts a redis-server (single-node target) or a 6-node cluster (cluster target) of the test's own. */
export async function startOwnDeployment(kind: RedisTarget): Promise<OwnDeployment> {
  if (kind.name === 'cluster') {
    const { startOwnCluster } = await import('./redis-cluster');
    const own = await startOwnCluster();
    return { ...own, target: clusterTarget(own.nodes), ports: clusterNodes(own.nodes).map((node) => node.port) };
  }
  const { startOwnRedis } = await import('./redis-server');
  const own = await startOwnRedis();
  return { ...own, target: singleNodeTarget(own.url), ports: [own.port] };
}
