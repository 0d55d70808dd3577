import { FULL_KEY, basic, keyName, signTokenRequest, testConfig, useSuiteServer } from './helpers';

// Every store fed from the network is one BoundedStore: these prove each byte bound over real HTTP,
// reading the sizes /_admin/stats reports.
const MESSAGE_BYTES = 7_000;
const IDEMPOTENCY_BYTES = 16 * 1024;
const suite = useSuiteServer({ config: testConfig({ ably: { maxMessageStoreBytes: MESSAGE_BYTES, maxIdempotencyStoreBytes: IDEMPOTENCY_BYTES } }) });

interface Stats {
  messageBytes: number;
  idempotencyBytes: number;
  grantBytes: number;
  requestLog: number;
  requestLogBytes: number;
  pendingFaults: number;
  pendingFaultBytes: number;
  presenceBytes: number;
  statsBytes: number;
}
const stats = async () => (await suite().call('GET', '/_admin/stats')).body as Stats;
const asKey = { authorization: basic(FULL_KEY) };

async function publish(channel: string, message: Record<string, unknown>): Promise<{ serials: Array<string | null> }> {
  const response = await suite().call('POST', `/channels/${channel}/messages`, { json: message, headers: asKey });
  expect(response.status).toBe(201);
  return response.body;
}

const history = async (channel: string): Promise<string[]> =>
  ((await suite().call('GET', `/channels/${channel}/messages?direction=forwards`, { headers: asKey })).body as Array<{ name: string }>).map((message) => message.name);

test('message log: past its bytes the oldest messages of the channel written least recently go, not the oldest overall', async () => {
  const data = 'x'.repeat(1_000); // about 1 200 estimated bytes a message: five fit in 7 000
  for (const [channel, name] of [['a', 'a1'], ['a', 'a2'], ['b', 'b1'], ['b', 'b2'], ['a', 'a3']] as const) await publish(channel, { name, data });
  expect((await stats()).messageBytes).toBeLessThanOrEqual(MESSAGE_BYTES);
  await publish('c', { name: 'c1', data });
  expect([await history('a'), await history('b'), await history('c')]).toEqual([['a1', 'a2', 'a3'], ['b2'], ['c1']]);
  for (let i = 0; i < 30; i++) await publish(`bulk-${i % 7}`, { name: `n${i}`, data });
  const { messageBytes } = await stats();
  expect(messageBytes).toBeLessThanOrEqual(MESSAGE_BYTES);
  expect(messageBytes).toBeGreaterThan(MESSAGE_BYTES / 2);
});

test('idempotency: past its bytes the oldest ids are forgotten early; a recent id still publishes once', async () => {
  const id = (i: number) => `${i}-`.padEnd(400, 'i');
  for (let i = 0; i < 40; i++) await publish('once', { id: id(i), data: 'd' });
  const { idempotencyBytes } = await stats();
  expect(idempotencyBytes).toBeLessThanOrEqual(IDEMPOTENCY_BYTES);
  expect(idempotencyBytes).toBeGreaterThan(IDEMPOTENCY_BYTES / 2);
  expect((await publish('once', { id: id(39), data: 'd' })).serials).toEqual([null]);
  expect((await publish('once', { id: id(0), data: 'd' })).serials).toEqual([expect.any(String)]);
});

test('grants: distinct requested capabilities keep the grant cache under its 2 MiB', async () => {
  const server = suite();
  for (let i = 0; i < 420; i++) {
    const capability = JSON.stringify({ [`${i}:`.padEnd(1_000, 'r')]: ['publish'] });
    const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now(), capability });
    expect((await server.call('POST', `/keys/${keyName(FULL_KEY)}/requestToken`, { json: request })).status).toBe(200);
  }
  const { grantBytes } = await stats();
  expect(grantBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
  expect(grantBytes).toBeGreaterThan(1024 * 1024);
});

test('request log: 12 KB paths keep it under its 4 MiB, fewer entries than requests', async () => {
  const path = `/${'p'.repeat(12 * 1024)}`;
  for (let i = 0; i < 220; i++) expect((await suite().call('GET', `${path}${i}`)).status).toBe(404);
  const { requestLog, requestLogBytes } = await stats();
  expect(requestLogBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
  expect(requestLogBytes).toBeGreaterThan(3 * 1024 * 1024);
  expect(requestLog).toBeLessThan(220);
});

test('faults: the largest faults the schema takes keep to 100 pending and 1 MiB', async () => {
  for (let i = 0; i < 120; i++) {
    const fault = { path: `/${i}`.padEnd(2_048, 'f'), operation: 'o'.repeat(2_048), message: 'm'.repeat(500), status: 503 };
    expect((await suite().call('POST', '/_admin/faults', { json: fault })).status).toBe(201);
  }
  const { pendingFaults, pendingFaultBytes } = await stats();
  expect(pendingFaults).toBe(100);
  expect(pendingFaultBytes).toBeLessThanOrEqual(1024 * 1024);
});

test('presence: members seeded by POST /apps keep to the message bound per app (members and their history)', async () => {
  const members = Array.from({ length: 20 }, (_, i) => ({ clientId: `client-${i}`, data: 'p'.repeat(1_000) }));
  const channels = Array.from({ length: 3 }, (_, i) => ({ name: `seeded-${i}`, presence: members }));
  const created = await suite().call('POST', '/apps', { json: { keys: [{}], channels }, headers: { accept: 'application/json' } });
  expect(created.status).toBe(201);
  const { presenceBytes } = await stats();
  expect(presenceBytes).toBeGreaterThan(MESSAGE_BYTES / 2);
  expect(presenceBytes).toBeLessThanOrEqual(2 * MESSAGE_BYTES);
});

test('stats: counters named by POST /stats fixtures keep to 4 MiB per app', async () => {
  const app = (await suite().call('POST', '/apps', { json: { keys: [{}] }, headers: { accept: 'application/json' } })).body as { keys: Array<{ keyStr: string }> };
  const year = new Date(suite().clock.now()).getUTCFullYear() - 1;
  for (let post = 0; post < 40; post++) {
    const counters = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`c${post}-${i}`.padEnd(40, 'n'), 1]));
    const fixtures = [{ intervalId: `${year}-02-03:15:${String(post % 60).padStart(2, '0')}`, custom: counters }];
    const posted = await suite().call('POST', '/stats', { json: fixtures, headers: { authorization: basic(app.keys[0]!.keyStr) } });
    expect(posted.status).toBe(201);
  }
  const { statsBytes } = await stats();
  expect(statsBytes).toBeGreaterThan(3 * 1024 * 1024);
  expect(statsBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
});
