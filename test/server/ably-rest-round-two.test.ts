/**
 * The offline Ably REST, round two: paging (RSL2, RSC6, RSP3/RSP4 and HP follow the same Link
 * header), idempotent publish (RSL1k), REST and batch presence, batch publish, the sandbox's stats
 * fixtures and `_forceNack`, each by raw HTTP and through the official `ably` SDK at its defaults.
 */
import * as Ably from 'ably';
import { FULL_KEY, LIMITED_KEY, TestClock, basic, expectAblyError, useSuiteServer, type TestServer } from './helpers';

// The SDK stamps nothing with its own clock here, but a real-time server clock keeps it honest.
const suite = useSuiteServer({ clock: new TestClock(Date.now()) });
const headers = { authorization: basic(FULL_KEY), accept: 'application/json' };
const messages = (name: string) => `/channels/${encodeURIComponent(name)}/messages`;

function rest(server: TestServer, options: Ably.ClientOptions = {}): Ably.Rest {
  return new Ably.Rest({ key: FULL_KEY, restHost: '127.0.0.1', port: Number(new URL(server.url).port), tls: false, logLevel: 0, ...options });
}

async function publishFive(server: TestServer, channel: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    expect((await server.call('POST', messages(channel), { json: { name: `m${i}` }, headers })).status).toBe(201);
    server.clock.advance(1);
  }
}

/** The `rel` → relative URL pairs of a Link header. */
function links(header: string | null): Record<string, string> {
  const found: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /^\s*<(.+)>;\s*rel="(\w+)"$/.exec(part);
    if (match) found[match[2] as string] = match[1] as string;
  }
  return found;
}

describe('paging: Link headers with first, current and next', () => {
  test('limit=1 on a channel of 5 messages: 5 pages through next links, newest first, no repeats (raw HTTP)', async () => {
    const server = suite();
    await publishFive(server, 'paged');
    const seenNames: string[] = [];
    let url: string | undefined = `${messages('paged')}?limit=1`;
    for (let pages = 0; url !== undefined && pages < 10; pages++) {
      const page = await server.call('GET', url, { headers });
      expect(page.status).toBe(200);
      seenNames.push(...page.body.map((m: { name: string }) => m.name));
      const rels = links(page.headers.get('link'));
      expect(rels['first']).toMatch(/^\.\/messages\?/);
      expect(rels['current']).toMatch(/^\.\/messages\?/);
      url = rels['next'] === undefined ? undefined : `${messages('paged')}${rels['next'].slice('./messages'.length)}`;
    }
    expect(seenNames).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
  });

  test('the SDK walks history({limit:1}) with next(): 5 pages in order, then isLast', async () => {
    const server = suite();
    await publishFive(server, 'sdk-paged');
    const channel = rest(server).channels.get('sdk-paged');
    const names: string[] = [];
    let page: Ably.PaginatedResult<Ably.InboundMessage> | null = await channel.history({ limit: 1 });
    while (page) {
      names.push(...page.items.map((m) => m.name as string));
      if (page.isLast()) break;
      page = await page.next();
    }
    expect(names).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    const forwards = await channel.history({ limit: 2, direction: 'forwards' });
    expect(forwards.items.map((m) => m.name)).toEqual(['m0', 'm1']);
    expect((await forwards.next())?.items.map((m) => m.name)).toEqual(['m2', 'm3']);
    expect((await forwards.first()).items.map((m) => m.name)).toEqual(['m0', 'm1']);
  });

  test('a next link stays valid while new messages arrive (a serial cursor, not an offset)', async () => {
    const server = suite();
    await publishFive(server, 'busy');
    const first = await server.call('GET', `${messages('busy')}?limit=2`, { headers });
    expect(first.body.map((m: { name: string }) => m.name)).toEqual(['m4', 'm3']);
    for (let i = 0; i < 3; i++) await server.call('POST', messages('busy'), { json: { name: `late${i}` }, headers });
    const next = links(first.headers.get('link'))['next'] as string;
    const second = await server.call('GET', `${messages('busy')}${next.slice('./messages'.length)}`, { headers });
    expect(second.body.map((m: { name: string }) => m.name)).toEqual(['m2', 'm1']);
  });

  test('the last page has no next link; request() (HP) follows the same links', async () => {
    const server = suite();
    await publishFive(server, 'hp');
    const last = await server.call('GET', `${messages('hp')}?limit=5`, { headers });
    expect(links(last.headers.get('link'))['next']).toBeUndefined();
    const response = await rest(server).request('get', messages('hp'), 2, { limit: '3' }, null, {});
    expect(response.items.map((m: { name: string }) => m.name)).toEqual(['m4', 'm3', 'm2']);
    expect(response.hasNext()).toBe(true);
    expect((await response.next())?.items.map((m: { name: string }) => m.name)).toEqual(['m1', 'm0']);
  });

  test('start after end and a cursor no link carried are 40003', async () => {
    expectAblyError(await suite().call('GET', `${messages('x')}?start=10&end=5`, { headers }), 40003, 400);
    expectAblyError(await suite().call('GET', `${messages('x')}?cursor=abc`, { headers }), 40003, 400);
  });
});

describe('idempotent publish (RSL1k)', () => {
  test('an id published 3 times is stored once; each publish answers 201', async () => {
    const server = suite();
    for (let i = 0; i < 3; i++) {
      const response = await server.call('POST', messages('idem'), { json: { id: 'order-42', data: 'x' }, headers });
      expect(response.status).toBe(201);
    }
    const history = await server.call('GET', messages('idem'), { headers });
    expect(history.body.map((m: { id: string }) => m.id)).toEqual(['order-42']);
  });

  test('the SDK with explicit ids (in parallel, idempotentRestPublishing off) and with library ids stores each once', async () => {
    const server = suite();
    const explicit = rest(server, { idempotentRestPublishing: false }).channels.get('idem-sdk');
    const message = { name: 'test', id: 'idempotent-msg-id:0' };
    await Promise.all([explicit.publish(message), explicit.publish(message), explicit.publish(message)]);
    expect((await explicit.history()).items.map((m) => m.id)).toEqual(['idempotent-msg-id:0']);
    // The library's own `base:serial` ids: the same batch posted three times is stored once.
    const library = [{ name: 'one', id: 'LibBase64Id:0' }, { name: 'two', id: 'LibBase64Id:1' }];
    const auto = rest(server, { idempotentRestPublishing: true }).channels.get('idem-auto');
    for (let i = 0; i < 3; i++) await auto.publish(library);
    await auto.publish([{ name: 'three' }, { name: 'four' }]);
    const ids = (await auto.history({ direction: 'forwards' })).items.map((m) => m.id);
    expect(ids.slice(0, 2)).toEqual(['LibBase64Id:0', 'LibBase64Id:1']);
    expect(ids).toHaveLength(4);
    expect(ids[2]).toMatch(/^[^:]+:0$/);
  });

  test('a repeat is answered with a null serial; after the two-minute window the id is new again', async () => {
    const server = suite();
    const first = await server.call('POST', messages('window'), { json: { id: 'w1' }, headers });
    const repeat = await server.call('POST', messages('window'), { json: { id: 'w1' }, headers });
    expect(first.body.serials).toEqual([expect.any(String)]);
    expect(repeat.body.serials).toEqual([null]);
    server.clock.advance(2 * 60_000);
    await server.call('POST', messages('window'), { json: { id: 'w1' }, headers });
    expect((await server.call('GET', messages('window'), { headers })).body).toHaveLength(2);
  });

  test('ids are per channel: the same id on another channel is stored', async () => {
    const server = suite();
    await server.call('POST', messages('a'), { json: { id: 'same' }, headers });
    await server.call('POST', messages('b'), { json: { id: 'same' }, headers });
    expect((await server.call('GET', messages('b'), { headers })).body).toHaveLength(1);
  });
});

// The shape of ably-common's test-app-setup.json presence fixtures (written here, not copied).
const FIXTURE_APP = {
  keys: [{}, { capability: '{"channel0":["publish"],"channel4":["presence","publish","subscribe"]}' }],
  channels: [{ name: 'persisted:presence_fixtures', presence: [
    { clientId: 'client_bool', data: 'true' },
    { clientId: 'client_int', data: '24' },
    { clientId: 'client_json', data: '{"test":"x"}', encoding: 'json' },
  ] }],
};

async function provision(server: TestServer): Promise<{ appId: string; keys: Array<{ keyStr: string }>; endpoint: string; port: number; tls: boolean }> {
  const response = await server.call('POST', '/apps', { json: FIXTURE_APP, headers: { accept: 'application/json' } });
  expect(response.status).toBe(201);
  return response.body;
}

describe('REST presence (RSP3/RSP4), seeded from POST /apps fixtures', () => {
  test('presence.get lists the fixtures as present, filters by clientId and pages with limit', async () => {
    const server = suite();
    const app = await provision(server);
    const channel = rest(server, { key: app.keys[0]!.keyStr }).channels.get('persisted:presence_fixtures');
    const members = await channel.presence.get();
    expect(members.items.map((m) => [m.clientId, m.action])).toEqual([['client_bool', 'present'], ['client_int', 'present'], ['client_json', 'present']]);
    expect(members.items[2]!.data).toEqual({ test: 'x' });
    expect((await channel.presence.get({ clientId: 'client_int' })).items.map((m) => m.data)).toEqual(['24']);
    const firstPage = await channel.presence.get({ limit: 2 });
    expect(firstPage.items).toHaveLength(2);
    expect((await firstPage.next())?.items.map((m) => m.clientId)).toEqual(['client_json']);
  });

  test('presence.history answers the enter events, newest first, paged', async () => {
    const server = suite();
    const app = await provision(server);
    const channel = rest(server, { key: app.keys[0]!.keyStr }).channels.get('persisted:presence_fixtures');
    const page = await channel.presence.history({ limit: 2 });
    expect(page.items.map((m) => [m.clientId, m.action])).toEqual([['client_json', 'enter'], ['client_int', 'enter']]);
    expect((await page.next())?.items.map((m) => m.clientId)).toEqual(['client_bool']);
  });

  test('POST /apps answers where a local-sandbox harness routes clients: endpoint, port, tls', async () => {
    const server = suite();
    const app = await provision(server);
    expect(app).toMatchObject({ endpoint: '127.0.0.1', port: Number(new URL(server.url).port), tls: false });
  });
});

describe('batch publish (POST /messages) and batch presence (GET /presence)', () => {
  test('batchPublish: one result per channel; a channel outside the capability fails alone (40160)', async () => {
    const server = suite();
    const app = await provision(server);
    const client = rest(server, { key: app.keys[1]!.keyStr });
    const result = await client.batchPublish({ channels: ['channel0', 'channel3'], messages: [{ data: 'message1' }, { data: 'message2' }] });
    expect(result.successCount).toBe(1);
    expect(result.failureCount).toBe(1);
    expect(result.results[0]).toMatchObject({ channel: 'channel0', messageId: expect.any(String) });
    expect(result.results[1]).toMatchObject({ channel: 'channel3', error: { code: 40160, statusCode: 401 } });
    const history = await rest(server, { key: app.keys[0]!.keyStr }).channels.get('channel0').history();
    expect(history.items.map((m) => m.data).sort()).toEqual(['message1', 'message2']);
  });

  test('request(POST /messages) at protocol 2 answers the flat list of channel results', async () => {
    const server = suite();
    const response = await rest(server).request('post', '/messages', 2, {}, { channels: ['b1', 'b2'], messages: { data: 'foo' } }, {});
    expect(response.statusCode).toBe(201);
    expect(response.items.map((item: { channel: string }) => item.channel)).toEqual(['b1', 'b2']);
  });

  test('batchPresence: members per channel; a channel outside the capability fails alone', async () => {
    const server = suite();
    const app = await provision(server);
    const client = rest(server, { key: app.keys[1]!.keyStr });
    // ably's typings say an array; the SDK hands back the body, one batch result (as ably-js's own test reads it).
    const result = (await client.batchPresence(['channel0', 'channel4'])) as unknown as Ably.BatchResult<Ably.BatchPresenceSuccessResult | Ably.BatchPresenceFailureResult>;
    expect(result.successCount).toBe(1);
    expect(result.results[0]).toMatchObject({ channel: 'channel0', error: { code: 40160 } });
    expect(result.results[1]).toMatchObject({ channel: 'channel4', presence: [] });
    const full = (await rest(server, { key: app.keys[0]!.keyStr }).batchPresence(['persisted:presence_fixtures'])) as unknown as Ably.BatchResult<Ably.BatchPresenceSuccessResult>;
    expect((full.results[0] as Ably.BatchPresenceSuccessResult).presence.map((m) => m.clientId)).toEqual(['client_bool', 'client_int', 'client_json']);
  });
});

describe("the sandbox's test endpoints: POST /stats fixtures, the schema field, _forceNack", () => {
  test('stats fixtures are served by interval id, with schema, summed into the all counters, paged', async () => {
    const server = suite();
    const app = await provision(server);
    const year = new Date(server.clock.now()).getUTCFullYear() - 1;
    const fixtures = [3, 4, 5].map((minute) => ({
      intervalId: `${year}-02-03:15:0${minute}`,
      inbound: { realtime: { messages: { count: minute * 10, data: minute * 1000 } } },
    }));
    const posted = await server.call('POST', '/stats', { json: fixtures, headers: { authorization: basic(app.keys[0]!.keyStr) } });
    expect(posted.status).toBe(201);
    const client = rest(server, { key: app.keys[0]!.keyStr });
    const page = await client.stats({ start: `${year}-02-03:15:03`, end: `${year}-02-03:15:05`, direction: 'forwards', limit: 1 } as never);
    expect(page.items[0]!.entries['messages.inbound.all.messages.count']).toBe(30);
    expect(page.items[0]!.schema).toEqual(expect.any(String));
    const second = await page.next();
    expect(second?.items[0]!.entries['messages.inbound.realtime.all.data']).toBe(4000);
    const hour = await client.stats({ start: `${year}-02-03:15`, end: `${year}-02-03:18`, unit: 'hour' } as never);
    expect(hour.items.map((s) => s.entries['messages.inbound.all.all.count'])).toEqual([120]);
  });

  test('POST /stats needs Basic auth with a provisioned app key', async () => {
    expectAblyError(await suite().call('POST', '/stats', { json: [], headers: { authorization: basic(FULL_KEY) } }), 40100, 401);
  });

  test('publishing with _forceNack=true is 40099; the message is not stored', async () => {
    const server = suite();
    expectAblyError(await server.call('POST', `${messages('nack')}?_forceNack=true`, { json: { data: 'x' }, headers }), 40099, 400);
    expect((await server.call('GET', messages('nack'), { headers })).body).toEqual([]);
  });

  test('presence history needs history on the channel (40160)', async () => {
    expectAblyError(await suite().call('GET', '/channels/secret/presence/history', { headers: { authorization: basic(LIMITED_KEY) } }), 40160, 401);
  });
});

describe('mutable messages and annotations (RSL11, RSL12/13/15, RSL14, RSAN)', () => {
  test('getMessage by serial; update, delete and append keep the serial, add versions with the operation', async () => {
    const server = suite();
    const channel = rest(server).channels.get('mutable:ops');
    const { serials } = await channel.publish('original', 'Hello');
    const serial = serials[0] as string;
    const original = await channel.getMessage(serial);
    expect(original).toMatchObject({ serial, name: 'original', data: 'Hello' });
    server.clock.advance(10);
    const appended = await channel.appendMessage({ serial, data: ' World' } as Ably.Message, { clientId: 'appender', description: 'more' });
    expect(appended.versionSerial! > serial).toBe(true);
    server.clock.advance(10);
    const updated = await channel.updateMessage({ serial, data: { value: 'v2' } } as Ably.Message, { clientId: 'editor', metadata: { reason: 'typo' } });
    const latest = await channel.getMessage(serial);
    expect(latest).toMatchObject({ serial, name: 'original', data: { value: 'v2' }, action: 'message.update' });
    expect(latest.version).toMatchObject({ serial: updated.versionSerial, clientId: 'editor', metadata: { reason: 'typo' } });
    expect(latest.version!.timestamp).toBeGreaterThan(original.timestamp as number);
    expect((await channel.history()).items.map((m) => m.data)).toEqual([{ value: 'v2' }]);
    await channel.deleteMessage({ serial, data: {} } as Ably.Message, { clientId: 'moderator' });
    expect(await channel.getMessage(serial)).toMatchObject({ action: 'message.delete', data: {} });
    const versions = await channel.getMessageVersions(serial, { direction: 'forwards' });
    expect(versions.items.map((m) => m.action)).toEqual(['message.create', 'message.update', 'message.update', 'message.delete']);
    expect(versions.items[1]!.data).toBe('Hello World');
  });

  test('an unknown serial is 404/40400; a change without message-update capability is 40160', async () => {
    const server = suite();
    expectAblyError(await server.call('GET', `${messages('m')}/0000000000009999`, { headers }), 40400, 404);
    const { body } = await server.call('POST', messages('allowed:m'), { json: { data: 'x' }, headers });
    const limited = { authorization: basic(LIMITED_KEY) };
    expectAblyError(await server.call('PATCH', `${messages('allowed:m')}/${body.serials[0]}`, { json: { action: 1, data: 'y' }, headers: limited }), 40160, 401);
  });

  test('annotations: publish on a message, list them paged', async () => {
    const server = suite();
    const channel = rest(server, { clientId: 'reactor' }).channels.get('mutable:annotated');
    const { serials } = await channel.publish('m', 'x');
    const serial = serials[0] as string;
    await channel.annotations.publish(serial, { type: 'reaction:distinct.v1', name: 'thumbsup' });
    await channel.annotations.publish(serial, { type: 'reaction:distinct.v1', name: 'heart' });
    const page = await channel.annotations.get(serial, { limit: 1, direction: 'forwards' } as never);
    expect(page.items.map((a) => [a.type, a.name, a.messageSerial, a.clientId])).toEqual([['reaction:distinct.v1', 'thumbsup', serial, 'reactor']]);
    expect((await page.next())?.items.map((a) => a.name)).toEqual(['heart']);
    expectAblyError(await server.call('POST', `${messages('mutable:annotated')}/${serial}/annotations`, { json: { name: 'no-type' }, headers }), 40001, 400);
  });
});
