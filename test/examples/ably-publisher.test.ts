/** examples/ably-publisher.ts against the local server: token auth, publish, history, renewal. */
import { main } from '../../examples/ably-publisher';
import { captureLog, DEMO_CREDENTIALS, runExample, startLocalServer, type LocalServer } from './helpers';

let local: LocalServer;
let env: Record<string, string>;

beforeAll(async () => {
  local = await startLocalServer();
  env = { ABLY_KEY: DEMO_CREDENTIALS.ablyKey, ABLY_BASE_URL: local.server.url };
});
afterAll(() => local.server.close());
beforeEach(() => local.admin.reset());

describe('examples/ably-publisher', () => {
  it('publishes three messages with one token and reads them back', async () => {
    const output = captureLog();
    const result = await main({ ...env, ABLY_CHANNEL: 'orders-a' }, output.log);
    expect(result).toEqual({ published: 3, history: 3, clientId: 'order-service' });
    expect(output.lines[0]).toBe('published 3 messages on "orders-a" as order-service; history holds 3');
    expect(output.lines.slice(1)).toEqual([expect.stringContaining('order.created'), expect.stringContaining('order.paid'), expect.stringContaining('order.shipped')]);
    const log = await local.log();
    expect(log.filter((line) => line.includes('requestToken'))).toEqual(['POST /keys/demoApp.demoKey/requestToken 200']);
    expect(log.filter((line) => line.startsWith('POST /channels/orders-a/messages 201'))).toHaveLength(3);
  });

  it('a token revoked mid-run is renewed and the publish retried without losing a message', async () => {
    await local.admin.injectFault({ path: '/channels/orders-b/messages', method: 'POST', status: 401, code: 40142, message: 'token expired', count: 1 });
    const result = await main({ ...env, ABLY_CHANNEL: 'orders-b' }, captureLog().log);
    expect(result).toMatchObject({ published: 3, history: 3 });
    expect((await local.log()).filter((line) => line.includes('requestToken'))).toHaveLength(2);
  });

  it('a refusal is thrown with its Ably code', async () => {
    await local.admin.revokeKey('demoApp.demoKey');
    await expect(main({ ...env, ABLY_CHANNEL: 'orders-c' }, captureLog().log)).rejects.toMatchObject({ code: 40131 });
  });

  it('main without ABLY_KEY says what to set', async () => {
    await expect(main({}, captureLog().log)).rejects.toThrow(/ABLY_KEY/);
  });

  it('runs as a script with env only: exit 0 and the summary on stdout', async () => {
    const run = await runExample('examples/ably-publisher.ts', { ...env, ABLY_CHANNEL: 'orders-d' });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('published 3 messages on "orders-d"');
  });

  it('as a script, a failure is one line on stderr with its code and exit 1', async () => {
    const run = await runExample('examples/ably-publisher.ts', { ...env, ABLY_KEY: 'demoApp.demoKey:wrong-secret-value' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ably-publisher: .*\(code 40101\)$/)]);
    expect(run.stderr).not.toContain('wrong-secret-value');
  });
});
