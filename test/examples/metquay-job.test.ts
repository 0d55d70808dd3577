/** examples/metquay-job.ts against the local server: one /authenticate, every page read. */
import { main } from '../../examples/metquay-job';
import { captureLog, DEMO_CREDENTIALS, runExample, startLocalServer, type LocalServer } from './helpers';

let local: LocalServer;
let env: Record<string, string>;
let customerCount: number;

beforeAll(async () => {
  local = await startLocalServer();
  customerCount = local.server.config.metquay.customerCount;
  env = {
    METQUAY_BASE_URL: `${local.server.url}/api/v1`,
    METQUAY_ACCESS_KEY: DEMO_CREDENTIALS.metquayAccessKey,
    METQUAY_SECRET_KEY: DEMO_CREDENTIALS.metquaySecretKey,
  };
});
afterAll(() => local.server.close());
beforeEach(() => local.admin.reset());

describe('examples/metquay-job', () => {
  it.each([50, 7])('lists every customer in pages of %i with one /authenticate', async (pageSize) => {
    const output = captureLog();
    const result = await main({ ...env, PAGE_SIZE: String(pageSize) }, output.log);
    expect(result.customers).toBe(customerCount);
    expect(Object.values(result.byMonth).reduce((a, b) => a + b, 0)).toBe(customerCount);
    expect(Object.keys(result.byMonth).every((month) => /^\d{4}-\d{2}$/.test(month))).toBe(true);
    expect(output.lines[0]).toBe(`${customerCount} customers (pages of ${pageSize})`);
    const log = await local.log();
    expect(log.filter((line) => line.includes('/authenticate'))).toEqual(['POST /api/v1/authenticate 200']);
    // A full last page needs one more (empty) request to know the list has ended.
    const pages = Math.floor(customerCount / pageSize) + 1;
    expect(log.filter((line) => line === 'GET /api/v1/customers 200')).toHaveLength(pages);
  });

  it('a token expired mid-walk is replaced once and the walk completes', async () => {
    await local.admin.injectFault({ path: '/api/v1/customers', status: 401, count: 1 });
    const result = await main({ ...env, PAGE_SIZE: '50' }, captureLog().log);
    expect(result.customers).toBe(customerCount);
    expect((await local.log()).filter((line) => line.includes('/authenticate'))).toHaveLength(2);
  });

  it('missing keys are named, never printed', async () => {
    const error = await main({ METQUAY_BASE_URL: env.METQUAY_BASE_URL }, captureLog().log).catch((e: Error & { code?: number }) => e);
    expect(error).toMatchObject({ code: 40106 });
    expect((error as Error).message).toMatch(/accessKey.*secretKey/);
  });

  it('wrong secret key: a 40101 after one /authenticate', async () => {
    await expect(main({ ...env, METQUAY_SECRET_KEY: 'not-the-secret' }, captureLog().log)).rejects.toMatchObject({ code: 40101 });
    expect((await local.log()).filter((line) => line.includes('/authenticate'))).toHaveLength(1);
  });

  it('runs as a script with env only: exit 0 and the summary on stdout', async () => {
    const run = await runExample('examples/metquay-job.ts', env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.split('\n')[0]).toBe(`${customerCount} customers (pages of 50)`);
  });
});
