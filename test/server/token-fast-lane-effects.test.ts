import { connect } from 'node:net';
import * as Ably from 'ably';
import { FULL_KEY, LIMITED_KEY, basic, keyName, signTokenRequest } from './helpers';
import {
  comparable, exchange, FULL_PATH, HOUR, json, LIMITED_PATH, pipelined, rawPost, send, sideEffects, signed, useLaneAndFramework, type WireAnswer, type WireRequest,
} from './fast-lane-helpers';

// The token fast lane leaves the same traces as Fastify's route (stats, request log, log lines),
// none for a refusal, steps aside for what is Fastify's (queued faults, aborted uploads), and keeps
// the order of pipelined requests.

const { lane, framework } = useLaneAndFramework();

describe('the same side effects with and without the fast lane', () => {
  test('stats, the request log and the request lines match after successes and refusals', async () => {
    const results: unknown[] = [];
    for (const server of [lane(), framework()]) {
      const linesFrom = server.logLines.length;
      const replayed = signed(server);
      const requests: WireRequest[] = [
        { path: FULL_PATH, ...json(signed(server)) },
        { path: FULL_PATH, ...json(replayed) },
        { path: FULL_PATH, ...json(replayed) },
        { path: FULL_PATH, ...json(signed(server, { ttl: 0 })) },
        { path: FULL_PATH, ...json({ ttl: 60_000 }, { authorization: basic(FULL_KEY) }) },
        { path: '/keys/testApp%2EfullKey/requestToken', ...json(signed(server)) },
        { path: FULL_PATH, ...json(signed(server, { ttl: 24 * HOUR + 1 })) },
        { path: LIMITED_PATH, ...json(signed(server, { capability: '{"secret":["publish"]}' }, LIMITED_KEY)) },
        { path: `${FULL_PATH}?format=msgpack`, ...json(signed(server)) },
      ];
      const statuses: number[] = [];
      for (const wire of requests) statuses.push((await send(server, wire)).status);
      expect(statuses).toEqual([200, 200, 401, 400, 200, 200, 400, 401, 200]);
      results.push(await sideEffects(server, linesFrom));
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toMatchObject({
      stats: { 'apiRequests.tokenRequests.succeeded': 5, 'apiRequests.tokenRequests.failed': 4 },
      requestLog: expect.arrayContaining([{ method: 'POST', path: '/keys/testApp%2EfullKey/requestToken', status: 200, at: lane().clock.now() }]),
    });
    // Nine requests, then the two reading these results.
    expect((results[0] as { logLines: unknown[] }).logLines.filter((line) => typeof line !== 'string')).toHaveLength(11);
  });
});

describe('a refusal leaves no trace', () => {
  test.each([
    ['a ttl above the maximum', { ttl: 24 * HOUR + 1 }, 400],
    ['a capability sharing nothing with the key', { capability: '{"secret":["publish"]}' }, 401],
    ['an empty clientId', { clientId: '' }, 400],
  ] as const)('a TokenRequest refused for %s does not burn its nonce', async (_label, refused, status) => {
    for (const server of [lane(), framework()]) {
      const nonce = `no-trace-nonce-${server.port}`;
      const first = signed(server, { nonce, ...refused }, LIMITED_KEY);
      expect((await send(server, { path: LIMITED_PATH, ...json(first) })).status).toBe(status);
      const corrected = signed(server, { nonce, ttl: 60_000 }, LIMITED_KEY);
      expect((await send(server, { path: LIMITED_PATH, ...json(corrected) })).status).toBe(200);
      // Accepted once, it is recorded: the same request again is a replay.
      const again = await send(server, { path: LIMITED_PATH, ...json(corrected) });
      expect([again.status, JSON.parse(again.body.toString('utf8')).error.code]).toEqual([401, 40105]);
    }
  });
});

describe('the lane steps aside', () => {
  test('a fault queued for requestToken is applied, once', async () => {
    for (const server of [lane(), framework()]) {
      const queued = await send(server, { method: 'POST', path: '/_admin/faults', ...json({ path: FULL_PATH, method: 'POST', status: 503, code: 50300, message: 'injected' }) });
      expect(queued.status).toBeLessThan(300);
      const faulted = await send(server, { path: FULL_PATH, ...json(signed(server)) });
      expect([faulted.status, JSON.parse(faulted.body.toString('utf8')).error]).toEqual([503, expect.objectContaining({ code: 50300, message: 'injected' })]);
      expect((await send(server, { path: FULL_PATH, ...json(signed(server)) })).status).toBe(200);
    }
  });

  test('a client gone mid-body leaves the server answering the next request, with the same log', async () => {
    const results: unknown[] = [];
    for (const server of [lane(), framework()]) {
      const linesFrom = server.logLines.length;
      const socket = connect(server.port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.write(`POST ${FULL_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ttl":600`);
      socket.destroy();
      await closed;
      expect((await send(server, { path: FULL_PATH, ...json(signed(server)) })).status).toBe(200);
      results.push(await sideEffects(server, linesFrom));
    }
    expect(results[0]).toEqual(results[1]);
  });
});

describe('pipelined requests on one connection', () => {
  test('are judged in the order they were sent: the first use of a nonce wins, the second is a replay', async () => {
    const results: unknown[] = [];
    for (const server of [lane(), framework()]) {
      // The first takes Fastify's way (a query), the second would fit the lane.
      const body = JSON.stringify(signed(server));
      const answers = await pipelined(server, [rawPost(server, `${FULL_PATH}?format=json`, body), rawPost(server, FULL_PATH, body)]);
      results.push(answers.map(({ status, body }) => [status, JSON.parse(body).error?.code]));
    }
    expect(results[0]).toEqual([
      [200, undefined],
      [401, 40105],
    ]);
    expect(results[1]).toEqual(results[0]);
  });

  test('leave request log entries in the order they were sent', async () => {
    const results: unknown[] = [];
    for (const server of [lane(), framework()]) {
      const linesFrom = server.logLines.length;
      const answers = await pipelined(server, [
        rawPost(server, `${FULL_PATH}?format=json`, JSON.stringify(signed(server, { ttl: 0 }))),
        rawPost(server, FULL_PATH, JSON.stringify(signed(server))),
        rawPost(server, FULL_PATH, JSON.stringify(signed(server, { clientId: 'tab\there' }))),
      ]);
      expect(answers.map(({ status }) => status)).toEqual([400, 200, 200]);
      results.push(await sideEffects(server, linesFrom));
    }
    expect(results[1]).toEqual(results[0]);
  });
});

describe('a provisioned app', () => {
  test('its tokens and stats are the same with and without the lane, and the main app counts none of them', async () => {
    const results: unknown[] = [];
    for (const server of [lane(), framework()]) {
      const provisioned = await send(server, { path: '/apps', ...json({ keys: [{}] }) });
      expect(provisioned.status).toBe(201);
      const { appId, keys } = JSON.parse(provisioned.body.toString('utf8')) as { appId: string; keys: Array<{ keyStr: string; keyName: string }> };
      const key = keys[0]!.keyStr;
      const path = `/keys/${keys[0]!.keyName}/requestToken`;
      const answers = [
        await send(server, { path, ...json(signTokenRequest(key, { timestamp: server.clock.now(), ttl: 30_000 })) }),
        await send(server, { path, ...json(signTokenRequest(key, { timestamp: server.clock.now(), ttl: 24 * HOUR + 1 })) }),
        await send(server, { path, ...json({ clientId: 'carol' }, { authorization: basic(key) }) }),
      ];
      const appStats = await send(server, { method: 'GET', path: '/stats?unit=minute', headers: { authorization: basic(key) } });
      const mainStats = await send(server, { method: 'GET', path: '/stats?unit=minute', headers: { authorization: basic(FULL_KEY) } });
      // The app id and key name are random per server: compare what is around them.
      const withoutAppId = (value: unknown): unknown =>
        JSON.parse(JSON.stringify(comparable(value as WireAnswer)).replaceAll(keys[0]!.keyName, '<key>').replaceAll(appId, '<app>'));
      results.push({
        answers: answers.map(withoutAppId),
        appStats: JSON.parse(appStats.body.toString('utf8'))[0]?.entries,
        mainStats: JSON.parse(mainStats.body.toString('utf8'))[0]?.entries,
      });
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toMatchObject({
      appStats: { 'apiRequests.tokenRequests.succeeded': 2, 'apiRequests.tokenRequests.failed': 1 },
      mainStats: undefined,
    });
  });
});

describe('HTTP/1.0 clients', () => {
  test.each([
    ['with a Host', true],
    ['without a Host', false],
  ])('get the same bytes back (Date and token aside) %s', async (_label, withHost) => {
    const answers: string[] = [];
    for (const server of [lane(), framework()]) {
      const body = JSON.stringify(signed(server));
      const host = withHost ? `Host: 127.0.0.1:${server.port}\r\n` : '';
      const answer = await exchange(server, `POST ${FULL_PATH} HTTP/1.0\r\n${host}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      answers.push(answer.replace(/\r\ndate: [^\r]*/i, '').replace(/"token":"[^"]*"/, '"token":"<token>"'));
    }
    expect(answers[0]).toMatch(/^HTTP\/1.1 200 OK\r\n/);
    expect(answers[0]).toContain('"token":"<token>"');
    expect(answers[1]).toBe(answers[0]);
  });
});

describe('parallel replays', () => {
  test('of one signed TokenRequest on separate connections get exactly one token', async () => {
    for (const server of [lane(), framework()]) {
      const body = JSON.stringify(signed(server));
      const answers = await Promise.all(Array.from({ length: 12 }, () => exchange(server, rawPost(server, FULL_PATH, body).replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'))));
      const statuses = answers.map((answer) => Number(answer.slice(9, 12))).sort();
      expect(statuses).toEqual([200, ...Array.from({ length: 11 }, () => 401)]);
      expect(answers.filter((answer) => answer.includes('"code":40105'))).toHaveLength(11);
    }
  });
});


describe('pipelined refusal and retry', () => {
  test('a refusal handed to Fastify is judged before the retry pipelined behind it', async () => {
    const results: unknown[] = [];
    for (const server of [lane(), framework()]) {
      const nonce = `pipelined-retry-${server.port}`;
      const refused = JSON.stringify(signed(server, { nonce, ttl: 24 * HOUR + 1 }));
      const retry = JSON.stringify(signed(server, { nonce, ttl: 60_000 }));
      const answers = await pipelined(server, [rawPost(server, FULL_PATH, refused), rawPost(server, FULL_PATH, retry)]);
      results.push(answers.map(({ status, body }) => [status, JSON.parse(body).error?.code]));
    }
    expect(results[1]).toEqual([
      [400, 40003],
      [200, undefined],
    ]);
    expect(results[0]).toEqual(results[1]);
  });
});

describe('the official ably SDK (default options: binary protocol on)', () => {
  test('gets the same tokens and leaves the same stats and logs with and without the lane', async () => {
    const results: unknown[] = [];
    for (const server of [lane(), framework()]) {
      const linesFrom = server.logLines.length;
      // The SDK signs with its own clock; queryTime makes it sign with the server's (GET /time).
      const client = new Ably.Rest({ key: FULL_KEY, restHost: '127.0.0.1', port: server.port, tls: false, logLevel: 0, queryTime: true });
      expect((client as unknown as { options: { useBinaryProtocol: boolean } }).options.useBinaryProtocol).toBe(true);
      const signedByKey = await client.auth.requestToken({ ttl: 120_000, clientId: 'sdk-user', capability: { 'chat:*': ['publish'] } });
      const fromTokenRequest = await client.auth.requestToken(await client.auth.createTokenRequest({ ttl: 60_000 }));
      // The SDK's own token requests are JSON (its Auth asks for JSON whatever the protocol); its
      // generic request() sends msgpack (Content-Type and Accept application/x-msgpack) with Basic auth.
      const raw = await client.request('post', `/keys/${keyName(FULL_KEY)}/requestToken`, 3, null, { ttl: 30_000, clientId: 'sdk-raw' });
      expect([raw.statusCode, raw.items.length]).toEqual([200, 1]);
      const [viaRequest] = raw.items as Ably.TokenDetails[];
      const shape = ({ token, ...details }: Ably.TokenDetails) => {
        expect(token).toMatch(/^testApp\.[A-Za-z0-9_-]{30,}$/);
        return details;
      };
      results.push({ tokens: [shape(signedByKey), shape(fromTokenRequest), shape(viaRequest!)], effects: await sideEffects(server, linesFrom) });
    }
    expect(results[1]).toEqual(results[0]);
    const now = lane().clock.now();
    expect(results[0]).toMatchObject({
      tokens: [
        { issued: now, expires: now + 120_000, clientId: 'sdk-user', capability: '{"chat:*":["publish"]}' },
        { issued: now, expires: now + 60_000 },
        { issued: now, expires: now + 30_000, clientId: 'sdk-raw' },
      ],
      effects: { stats: { 'apiRequests.tokenRequests.succeeded': 3 } },
    });
  });
});
