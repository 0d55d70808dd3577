import { randomUUID } from 'node:crypto';
import { adminClient, startAuthServer, DEMO_CREDENTIALS, type AuthServer } from '../../tokensmith-server/src/server';
import { describeOnRedisTargets } from './helpers/env';
import { killAllWorkers, startWorker, type Worker } from './helpers/workers';

const WORKERS = 8;
const CALLS = 200;

describeOnRedisTargets('fleet single flight through Redis', (target) => {
  let server: AuthServer;

  beforeAll(async () => {
    server = await startAuthServer({ port: 0, admin: true });
  });
  afterEach(killAllWorkers);
  afterAll(async () => {
    await server?.close();
  });

  it(`${WORKERS} processes x ${CALLS} concurrent calls on a cold cache -> one /authenticate, one token for all`, async () => {
    const admin = adminClient(server.url);
    await admin.clearRequests();
    const env = {
      ...target.env,
      MODE: 'metquay',
      REDIS_PREFIX: `test:fleet:${randomUUID()}:`,
      CALLS: String(CALLS),
      // A loaded CI box can take seconds per command; a timeout would make a process fetch on its own.
      COMMAND_TIMEOUT_MS: '5000',
      METQUAY_BASE_URL: `${server.url}/api/v1`,
      METQUAY_ACCESS_KEY: DEMO_CREDENTIALS.metquayAccessKey,
      METQUAY_SECRET_KEY: DEMO_CREDENTIALS.metquaySecretKey,
    };
    const workers: Worker[] = Array.from({ length: WORKERS }, () => startWorker(env));
    await Promise.all(workers.map((w) => w.ready));
    const results = await Promise.all(workers.map((w) => w.go()));
    await Promise.all(workers.map((w) => w.end()));

    expect(results.flatMap((r) => r.failures)).toEqual([]);
    const tokens = results.flatMap((r) => r.tokens);
    expect(tokens).toHaveLength(WORKERS * CALLS);
    expect(new Set(tokens).size).toBe(1);
    const fetches = (await admin.requests()).filter((r) => r.method === 'POST' && r.path === '/api/v1/authenticate');
    expect(fetches).toHaveLength(1);
  }, 90_000);
});
