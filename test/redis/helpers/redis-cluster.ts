import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const SCRIPT = resolve(__dirname, '../../../scripts/redis-cluster.sh');
const run = promisify(execFile);

/** A Redis Cluster of the test's own (`scripts/redis-cluster.sh`), so it can be crashed and restarted. */
export interface OwnCluster {
  /** `host:port,…` of its six nodes. */
  nodes: string;
  /** SIGKILLs every node, as in a crash. */
  stop(): Promise<void>;
  /** Starts every node again, empty, with the same slot map; resolves at `cluster_state:ok`. */
  start(): Promise<void>;
  /** SIGKILLs the node on `port`. */
  killNode(port: number): void;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

/** Starts 6 nodes (3 masters, a replica each) on free loopback ports. */
export async function startOwnCluster(): Promise<OwnCluster> {
  const dir = join(mkdtempSync(join(tmpdir(), 'tokensmith-cluster-')), 'nodes');
  const script = (command: string) => run('bash', [SCRIPT, command, dir], { timeout: 30_000 });
  const { stdout } = await script('up');
  return {
    nodes: stdout.trim(),
    stop: async () => {
      await script('kill');
    },
    start: async () => {
      await script('restart');
    },
    killNode: (port) => {
      process.kill(Number(readFileSync(join(dir, String(port), 'redis.pid'), 'utf8').trim()), 'SIGKILL');
    },
    dispose: async () => {
      await script('down').catch(() => {});
      rmSync(resolve(dir, '..'), { recursive: true, force: true });
    },
  };
}
