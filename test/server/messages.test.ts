import { decode } from '@msgpack/msgpack';
import {
  FULL_KEY, LIMITED_KEY, basic, bearer, expectAblyError, getToken, keyName, startTestServer, testConfig, useSuiteServer,
} from './helpers';

const suite = useSuiteServer();
const channel = (name: string) => `/channels/${encodeURIComponent(name)}/messages`;

describe('channel messages: authentication', () => {
  test('no Authorization is 40101', async () => {
    expectAblyError(await suite().call('GET', channel('chat')), 40101, 401);
  });

  test('an unknown scheme is 40101', async () => {
    expectAblyError(await suite().call('GET', channel('chat'), { headers: { authorization: 'Digest abc' } }), 40101, 401);
  });

  test('Basic auth with a wrong secret is 40101', async () => {
    const response = await suite().call('GET', channel('chat'), { headers: { authorization: basic(`${keyName(FULL_KEY)}:nope`) } });
    expectAblyError(response, 40101, 401);
  });

  test('Basic auth that is not base64 of key:secret is 40101', async () => {
    expectAblyError(await suite().call('GET', channel('chat'), { headers: { authorization: 'Basic !!!' } }), 40101, 401);
  });

  test('Basic auth with a revoked key is 40131', async () => {
    const server = suite();
    await server.call('POST', '/_admin/keys/revoke', { json: { keyName: keyName(FULL_KEY) } });
    expectAblyError(await server.call('GET', channel('chat'), { headers: { authorization: basic(FULL_KEY) } }), 40131, 401);
  });

  test('a token issued here works as base64 Bearer', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY);
    expect((await server.call('GET', channel('chat'), { headers: { authorization: bearer(token) } })).status).toBe(200);
  });

  test('a token the server never issued is 40143', async () => {
    expectAblyError(await suite().call('GET', channel('chat'), { headers: { authorization: bearer('testApp.neverIssued') } }), 40143, 401);
  });

  test('a token past its expiry on the server clock is 40142', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY, { ttl: 60_000 });
    server.clock.advance(59_999);
    expect((await server.call('GET', channel('chat'), { headers: { authorization: bearer(token) } })).status).toBe(200);
    server.clock.advance(1);
    expectAblyError(await server.call('GET', channel('chat'), { headers: { authorization: bearer(token) } }), 40142, 401);
  });

  test('a token revoked through the test controls is 40141', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY);
    await server.call('POST', '/_admin/tokens/revoke', { json: { token } });
    expectAblyError(await server.call('GET', channel('chat'), { headers: { authorization: bearer(token) } }), 40141, 401);
  });

  test('a token whose key was revoked is 40131', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY);
    await server.call('POST', '/_admin/keys/revoke', { json: { keyName: keyName(FULL_KEY) } });
    expectAblyError(await server.call('GET', channel('chat'), { headers: { authorization: bearer(token) } }), 40131, 401);
  });
});

describe('channel messages: capability per operation', () => {
  test('publish needs publish on the channel: 40160 otherwise', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY, { capability: '{"chat":["history"]}' });
    const response = await server.call('POST', channel('chat'), { json: { name: 'x', data: 'y' }, headers: { authorization: bearer(token) } });
    expectAblyError(response, 40160, 401);
  });

  test('history needs history on the channel: 40160 otherwise', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY, { capability: '{"chat":["publish"]}' });
    expectAblyError(await server.call('GET', channel('chat'), { headers: { authorization: bearer(token) } }), 40160, 401);
  });

  test.each([
    ['allowed:room', 'POST', 201],
    ['allowed:room', 'GET', 200],
    ['read-only', 'GET', 200],
    ['read-only', 'POST', 401],
    ['forbidden', 'GET', 401],
    ['allowedx', 'POST', 401],
  ])('the limited key on %s with %s answers %d', async (name, method, status) => {
    const server = suite();
    const init = method === 'POST' ? { json: { data: 'hi' } } : {};
    const response = await server.call(method, channel(name), { ...init, headers: { authorization: basic(LIMITED_KEY) } });
    expect(response.status).toBe(status);
    if (status === 401) expect(response.body.error.code).toBe(40160);
  });
});

describe('channel messages: clientId rules', () => {
  const publishAs = async (tokenClientId: string | undefined, messageClientId: string | undefined) => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY, tokenClientId === undefined ? {} : { clientId: tokenClientId });
    const message = messageClientId === undefined ? { data: 'x' } : { data: 'x', clientId: messageClientId };
    return server.call('POST', channel('chat'), { json: message, headers: { authorization: bearer(token) } });
  };

  test.each([
    ['alice', 'alice', 201],
    ['alice', undefined, 201],
    ['alice', 'mallory', 400],
    ['*', 'anyone', 201],
    [undefined, undefined, 201],
    [undefined, 'someone', 400],
  ])('a token for %s publishing as %s answers %d', async (tokenClientId, messageClientId, status) => {
    const response = await publishAs(tokenClientId, messageClientId);
    expect(response.status).toBe(status);
    if (status === 400) expect(response.body.error.code).toBe(40012);
  });

  test('a message from a clientId-bound token is stamped with that clientId', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY, { clientId: 'alice' });
    await server.call('POST', channel('chat'), { json: { data: 'x' }, headers: { authorization: bearer(token) } });
    const history = await server.call('GET', channel('chat'), { headers: { authorization: basic(FULL_KEY) } });
    expect(history.body[0].clientId).toBe('alice');
  });

  test('Basic auth may publish with any clientId but not an empty one (40012)', async () => {
    const server = suite();
    const headers = { authorization: basic(FULL_KEY) };
    expect((await server.call('POST', channel('chat'), { json: { clientId: 'bob' }, headers })).status).toBe(201);
    expectAblyError(await server.call('POST', channel('chat'), { json: { clientId: '' }, headers }), 40012, 400);
  });
});

describe('channel messages: publish and history', () => {
  test('publish assigns ids and timestamps; history returns newest first by default', async () => {
    const server = suite();
    const headers = { authorization: basic(FULL_KEY) };
    const published = await server.call('POST', channel('chat:lobby'), { json: [{ name: 'a', data: '1' }, { name: 'b', data: '2' }], headers });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ channel: 'chat:lobby', messageId: expect.any(String), serials: [expect.any(String), expect.any(String)] });
    server.clock.advance(1_000);
    await server.call('POST', channel('chat:lobby'), { json: { id: 'my-id', name: 'c', data: { n: 3 } }, headers });
    const history = await server.call('GET', channel('chat:lobby'), { headers });
    expect(history.body.map((m: { name: string }) => m.name)).toEqual(['c', 'b', 'a']);
    expect(history.body[0]).toEqual({ id: 'my-id', serial: expect.any(String), name: 'c', data: { n: 3 }, timestamp: server.clock.now() });
    expect(history.body[2]).toEqual({ id: `${published.body.messageId}:0`, serial: published.body.serials[0], name: 'a', data: '1', timestamp: server.clock.now() - 1_000 });
    expect(history.body[1].serial).toBe(published.body.serials[1]);
  });

  test('history honours limit, direction, start and end', async () => {
    const server = suite();
    const headers = { authorization: basic(FULL_KEY) };
    const start = server.clock.now();
    for (let i = 0; i < 5; i++) {
      await server.call('POST', channel('log'), { json: { name: `m${i}` }, headers });
      server.clock.advance(1_000);
    }
    const names = async (query: string) =>
      (await server.call('GET', `${channel('log')}?${query}`, { headers })).body.map((m: { name: string }) => m.name);
    expect(await names('limit=2')).toEqual(['m4', 'm3']);
    expect(await names('limit=2&direction=forwards')).toEqual(['m0', 'm1']);
    expect(await names(`start=${start + 1_000}&end=${start + 3_000}&direction=forwards`)).toEqual(['m1', 'm2', 'm3']);
  });

  test.each([['limit=0'], ['limit=1001'], ['direction=sideways'], ['start=-5']])('history with %s is 40003', async (query) => {
    const response = await suite().call('GET', `${channel('log')}?${query}`, { headers: { authorization: basic(FULL_KEY) } });
    expectAblyError(response, 40003, 400);
  });

  test.each([
    ['a number', 5],
    ['an empty array', []],
    ['a message whose name is a number', { name: 5 }],
    ['a message whose data is a boolean', { data: true }],
  ])('publishing %s is 40001', async (_label, body) => {
    const response = await suite().call('POST', channel('chat'), { json: body, headers: { authorization: basic(FULL_KEY) } });
    expectAblyError(response, 40001, 400);
  });

  test('msgpack both ways: binary data published as msgpack comes back as bytes, and as base64 in JSON', async () => {
    const server = suite();
    const headers = { authorization: basic(FULL_KEY), accept: 'application/x-msgpack' };
    const bytes = new Uint8Array([0, 1, 2, 250]);
    const published = await server.call('POST', channel('bin'), { msgpack: [{ name: 'b', data: bytes }], headers });
    expect(published.status).toBe(201);
    expect(published.headers.get('content-type')).toBe('application/x-msgpack');
    const binary = await server.call('GET', channel('bin'), { headers });
    expect(Buffer.from((decode(binary.raw) as Array<{ data: Uint8Array }>)[0]!.data)).toEqual(Buffer.from(bytes));
    const json = await server.call('GET', channel('bin'), { headers: { authorization: basic(FULL_KEY) } });
    expect(json.body[0]).toMatchObject({ data: Buffer.from(bytes).toString('base64'), encoding: 'base64' });
  });

  test('channel names with reserved characters round-trip', async () => {
    const server = suite();
    const headers = { authorization: basic(FULL_KEY) };
    await server.call('POST', channel('a/b?c#d é'), { json: { data: 'x' }, headers });
    expect((await server.call('GET', channel('a/b?c#d é'), { headers })).body).toHaveLength(1);
  });
});

describe('channel messages: bounds', () => {
  test('each channel keeps only its newest maxMessagesPerChannel messages', async () => {
    const server = await startTestServer({ config: testConfig({ ably: { maxMessagesPerChannel: 3 } }) });
    const headers = { authorization: basic(FULL_KEY) };
    for (let i = 0; i < 5; i++) await server.call('POST', channel('c'), { json: { name: `m${i}` }, headers });
    const history = await server.call('GET', channel('c'), { headers });
    expect(history.body.map((m: { name: string }) => m.name)).toEqual(['m4', 'm3', 'm2']);
  });

  test('past maxChannels the least recently written channel is dropped', async () => {
    const server = await startTestServer({ config: testConfig({ ably: { maxChannels: 2 } }) });
    const headers = { authorization: basic(FULL_KEY) };
    for (const name of ['one', 'two', 'one', 'three']) await server.call('POST', channel(name), { json: { name }, headers });
    const count = async (name: string) => (await server.call('GET', channel(name), { headers })).body.length;
    expect([await count('one'), await count('two'), await count('three')]).toEqual([2, 0, 1]);
  });
});

describe('channel messages: hostile payloads', () => {
  test('data nested deeper than 64 levels is 40001, so history can always be served', async () => {
    const server = suite();
    const headers = { authorization: basic(FULL_KEY) };
    const deep = `{"data":{"nested":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const response = await server.call('POST', channel('deep'), { body: deep, headers: { ...headers, 'content-type': 'application/json' } });
    expectAblyError(response, 40001, 400);
    const fine = JSON.parse('['.repeat(60) + ']'.repeat(60));
    expect((await server.call('POST', channel('deep'), { json: { data: fine }, headers })).status).toBe(201);
    expect((await server.call('GET', channel('deep'), { headers })).status).toBe(200);
    expect((await server.call('GET', channel('deep'), { headers: { ...headers, accept: 'application/x-msgpack' } })).status).toBe(200);
  });
});

describe('URLs the router refuses', () => {
  test('a channel name over 2048 characters is 414 in the envelope, without echoing it', async () => {
    const response = await suite().call('GET', channel('x'.repeat(3_000)), { headers: { authorization: basic(FULL_KEY) } });
    expectAblyError(response, 41400, 414);
    expect(response.raw.toString()).not.toContain('xxxxxxxxxx');
  });

  test('malformed percent-encoding is 400 40000', async () => {
    expectAblyError(await suite().call('GET', '/channels/%E0%A4%A/messages', { headers: { authorization: basic(FULL_KEY) } }), 40000, 400);
  });
});
