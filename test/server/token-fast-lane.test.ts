import { Buffer } from 'node:buffer';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { decode } from '@msgpack/msgpack';
import {
  FULL_KEY, LIMITED_KEY, basic, bearer, keyName, seen, signTokenRequest, useSuiteServer, type TestServer, type TokenRequestFields,
} from './helpers';

// The token fast lane (ably/token-fast-lane.ts) must change nothing a client can see: the same
// requests sent to a server with it and to one without get the same status, the same headers in
// the same order, the same body (but the random token), and leave the same stats and log lines.

const lane = useSuiteServer({ tokenFastLane: true });
const framework = useSuiteServer({ tokenFastLane: false });

const FULL_PATH = `/keys/${keyName(FULL_KEY)}/requestToken`;
const LIMITED_PATH = `/keys/${keyName(LIMITED_KEY)}/requestToken`;
const HOUR = 60 * 60_000;
const JSON_TYPE = 'application/json';

/** One request as sent on the wire. */
interface WireRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent whole, with its Content-Length. */
  body?: string | Buffer;
  /** Or written in these pieces: chunked unless `headers` declare a Content-Length. */
  chunks?: readonly (string | Buffer)[];
}

/** One answer as received: status line, every header as sent (names as written, in order), raw body. */
interface WireAnswer {
  status: number;
  statusMessage: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

// One keep-alive agent per server, as an SDK would hold.
const agents = new Map<string, Agent>();
afterAll(() => {
  for (const agent of agents.values()) agent.destroy();
});

function send(server: TestServer, wire: WireRequest): Promise<WireAnswer> {
  let agent = agents.get(server.url);
  if (agent === undefined) {
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.set(server.url, agent);
  }
  const headers: Record<string, string> = { ...wire.headers };
  if (wire.body !== undefined) headers['content-length'] = String(Buffer.byteLength(wire.body));
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${server.url}${wire.path}`, { method: wire.method ?? 'POST', headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const pairs: Array<[string, string]> = [];
        for (let i = 0; i < response.rawHeaders.length; i += 2) pairs.push([response.rawHeaders[i]!, response.rawHeaders[i + 1]!]);
        const body = Buffer.concat(chunks);
        seen.push(body.toString('utf8'), pairs.map(([name, value]) => `${name}: ${value}`).join('\n'));
        resolve({ status: response.statusCode ?? 0, statusMessage: response.statusMessage ?? '', headers: pairs, body });
      });
    });
    outgoing.on('error', reject);
    if (wire.chunks !== undefined) {
      for (const chunk of wire.chunks) outgoing.write(chunk);
      outgoing.end();
    } else {
      outgoing.end(wire.body);
    }
  });
}

const json = (value: unknown, headers: Record<string, string> = {}): Pick<WireRequest, 'body' | 'headers'> => ({
  body: JSON.stringify(value),
  headers: { 'content-type': JSON_TYPE, ...headers },
});

/**
 * What a client can compare between two answers: status line, headers in order (the Date value
 * aside), the body decoded and its bytes, with the token (random per server) replaced by its shape.
 */
function comparable(answer: WireAnswer): unknown {
  const type = answer.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  let body: unknown = answer.body.toString('utf8');
  if (type.startsWith('application/json') && answer.body.length > 0) body = JSON.parse(answer.body.toString('utf8'));
  if (type.startsWith('application/x-msgpack')) body = decode(answer.body);
  // Bytes as latin1 text, so a token can be found and replaced in msgpack too.
  let bytes = answer.body.toString('latin1');
  if (typeof body === 'object' && body !== null && typeof (body as { token?: unknown }).token === 'string') {
    const { token } = body as { token: string };
    expect(token).toMatch(/^[A-Za-z0-9]+\.[A-Za-z0-9_-]{30,}$/);
    const shape = `<token of ${token.length} characters>`;
    body = { ...body, token: shape };
    expect(bytes).toContain(token);
    bytes = bytes.replace(token, shape);
  }
  return {
    status: `${answer.status} ${answer.statusMessage}`,
    headers: answer.headers.map(([name, value]) => (name.toLowerCase() === 'date' ? [name] : [name, value])),
    body,
    bytes,
  };
}

/** A case: the requests it sends in order, built afresh for each server (each signed at that server's time). */
type Case = (server: TestServer) => WireRequest[];

const signed = (server: TestServer, fields: Partial<TokenRequestFields> = {}, key = FULL_KEY) =>
  signTokenRequest(key, { timestamp: server.clock.now(), ...fields });

// Each case names the statuses both servers answer, so a break shared by both still fails.
const CASES: Array<[string, number[], Case]> = [
  ['a valid signed TokenRequest', [200], (s) => [{ path: FULL_PATH, ...json(signed(s)) }]],
  ['a signed TokenRequest with ttl, clientId and capability', [200], (s) => [{ path: LIMITED_PATH, ...json(signed(s, { ttl: 5_000, clientId: 'alice', capability: '{"*":["publish","subscribe"]}' }, LIMITED_KEY)) }]],
  ['Basic auth with TokenParams', [200], () => [{ path: FULL_PATH, ...json({ ttl: 90_000, clientId: 'bob', capability: '{"chat:*":["subscribe"]}' }, { authorization: basic(FULL_KEY) }) }]],
  ['Basic auth with an empty body object', [200], () => [{ path: FULL_PATH, ...json({}, { authorization: basic(FULL_KEY) }) }]],
  ['Basic auth with the wrong secret', [401], () => [{ path: FULL_PATH, ...json({}, { authorization: basic(`${keyName(FULL_KEY)}:wrong-secret`) }) }]],
  ['Bearer auth on requestToken', [401], () => [{ path: FULL_PATH, ...json({}, { authorization: bearer('testApp.whatever') }) }]],
  ['Accept: application/x-msgpack', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { accept: 'application/x-msgpack' }) }]],
  ['Accept ranking JSON above msgpack', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { accept: 'application/x-msgpack;q=0.5, application/json' }) }]],
  ['content-type application/json; charset=utf-8', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { 'content-type': 'application/json; charset=utf-8' }) }]],
  ['content-type application/json;charset=utf-8 (no space)', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { 'content-type': 'application/json;charset=utf-8' }) }]],
  ['content-type text/plain', [415], (s) => [{ path: FULL_PATH, ...json(signed(s), { 'content-type': 'text/plain' }) }]],
  ['with X-Ably-Version and X-Ably-ClientId headers', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { 'x-ably-version': '2', 'x-ably-clientid': 'not base64!' }) }]],
  ['a wrong mac', [401], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), mac: Buffer.alloc(32, 7).toString('base64') }) }]],
  ['a mac that is a number', [400], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), mac: 42 }) }]],
  ['no mac and no Authorization', [401], (s) => {
    const { mac: _mac, ...unsigned } = signed(s);
    return [{ path: FULL_PATH, ...json(unsigned) }];
  }],
  ['an unknown key', [401], (s) => [{ path: '/keys/testApp.unknown/requestToken', ...json(signTokenRequest('testApp.unknown:whatever-secret', { timestamp: s.clock.now() })) }]],
  ['path and body keyName differ', [401], (s) => [{ path: LIMITED_PATH, ...json(signed(s)) }]],
  ['a replayed nonce (the same request twice)', [200, 401], (s) => {
    const request = { path: FULL_PATH, ...json(signed(s)) };
    return [request, request];
  }],
  ['a timestamp 11 minutes old', [401], (s) => [{ path: FULL_PATH, ...json(signed(s, { timestamp: s.clock.now() - 11 * 60_000 })) }]],
  ['a timestamp as a float', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { timestamp: s.clock.now() + 0.5 })) }]],
  ['a timestamp as a string', [400], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), timestamp: String(s.clock.now()) }) }]],
  ['a ttl above the maximum', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { ttl: 24 * HOUR + 1 })) }]],
  ['a ttl of exactly the maximum', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { ttl: 24 * HOUR })) }]],
  ['a ttl of 0', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { ttl: 0 })) }]],
  ['a ttl of 0 with Basic auth (no mac to catch it)', [400], () => [{ path: FULL_PATH, ...json({ ttl: 0 }, { authorization: basic(FULL_KEY) }) }]],
  ['a nonce of 8 code points with Basic auth', [400], (s) => [{ path: FULL_PATH, ...json({ nonce: '😀'.repeat(8), timestamp: s.clock.now() }, { authorization: basic(FULL_KEY) }) }]],
  ['a negative ttl', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { ttl: -5 })) }]],
  ['a ttl as a string', [400], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), ttl: '60000' }) }]],
  ['a ttl written 6e4', [200], (s) => [{ path: FULL_PATH, body: JSON.stringify(signed(s, { ttl: 60_000 })).replace('"ttl":60000', '"ttl":6e4'), headers: { 'content-type': JSON_TYPE } }]],
  ['a nonce shorter than 16', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { nonce: 'short-nonce' })) }]],
  ['a nonce of 16 UTF-16 units but 8 code points', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { nonce: '😀'.repeat(8) })) }]],
  ['a nonce of 16 code points with surrogate pairs', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { nonce: `${'😀'.repeat(8)}abcdefgh` })) }]],
  ['a nonce over the maximum length', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { nonce: 'n'.repeat(129) })) }]],
  ['an empty clientId', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: '' })) }]],
  ['a clientId of "*"', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: '*' })) }]],
  ['a clientId over the maximum length', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: 'c'.repeat(257) })) }]],
  ['a clientId that is a number', [400], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), clientId: 7 }) }]],
  ['a capability that is not JSON', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { capability: '{"*":' })) }]],
  ['a capability as an object', [400], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), capability: { '*': ['*'] } }) }]],
  ['a capability with an empty intersection', [401], (s) => [{ path: LIMITED_PATH, ...json(signed(s, { capability: '{"secret":["publish"]}' }, LIMITED_KEY)) }]],
  ['a body that is not JSON', [400], () => [{ path: FULL_PATH, body: '{"ttl":', headers: { 'content-type': JSON_TYPE } }]],
  ['an empty body', [400], () => [{ path: FULL_PATH, body: '', headers: { 'content-type': JSON_TYPE } }]],
  ['no body and no content-type', [400], () => [{ path: FULL_PATH }]],
  ['a body that is a JSON array', [400], () => [{ path: FULL_PATH, body: '[]', headers: { 'content-type': JSON_TYPE } }]],
  ['a JSON array body with Basic auth', [400], () => [{ path: FULL_PATH, body: '[]', headers: { 'content-type': JSON_TYPE, authorization: basic(FULL_KEY) } }]],
  ['a JSON null body with Basic auth', [400], () => [{ path: FULL_PATH, body: 'null', headers: { 'content-type': JSON_TYPE, authorization: basic(FULL_KEY) } }]],
  ['a body that is a JSON string', [400], () => [{ path: FULL_PATH, body: '"x"', headers: { 'content-type': JSON_TYPE } }]],
  ['a body that is JSON null', [400], () => [{ path: FULL_PATH, body: 'null', headers: { 'content-type': JSON_TYPE } }]],
  ['a body with a byte-order mark', [200], (s) => [{ path: FULL_PATH, body: `\uFEFF${JSON.stringify(signed(s))}`, headers: { 'content-type': JSON_TYPE } }]],
  ['a "__proto__" body', [400], (s) => [{ path: FULL_PATH, body: JSON.stringify(signed(s)).replace('{', '{"__proto__":{"ttl":1},'), headers: { 'content-type': JSON_TYPE } }]],
  ['a "__proto__" spelled with an escape', [400], (s) => [{ path: FULL_PATH, body: JSON.stringify(signed(s)).replace('{', '{"\\u005f_proto__":{"ttl":1},'), headers: { 'content-type': JSON_TYPE } }]],
  ['a "constructor.prototype" body', [400], (s) => [{ path: FULL_PATH, body: JSON.stringify(signed(s)).replace('{', '{"constructor":{"prototype":{"ttl":1}},'), headers: { 'content-type': JSON_TYPE } }]],
  ['"constructor" inside a valid clientId', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: 'constructor-fan' })) }]],
  ['"__proto__" as a clientId value, not a key', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: '__proto__' })) }]],
  ['an escaped character in a valid clientId', [200], (s) => [{ path: FULL_PATH, ...json(signed(s, { clientId: 'tab\there' })) }]],
  ['unknown extra fields', [200], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), extra: [1, 2], nested: { a: null } }) }]],
  ['duplicate fields (the last wins)', [200], (s) => [{ path: FULL_PATH, body: JSON.stringify(signed(s, { ttl: 60_000 })).replace('{', '{"ttl":0,'), headers: { 'content-type': JSON_TYPE } }]],
  ['a body over the body limit', [413], (s) => [{ path: FULL_PATH, ...json({ ...signed(s), padding: 'p'.repeat(70 * 1024) }) }]],
  ['a body of exactly the body limit', [200], (s) => {
    const base = JSON.stringify({ ...signed(s), padding: '' });
    return [{ path: FULL_PATH, body: base.replace('"padding":""', `"padding":"${'p'.repeat(64 * 1024 - base.length)}"`), headers: { 'content-type': JSON_TYPE } }];
  }],
  ['a chunked body (no content-length)', [200], (s) => {
    const text = JSON.stringify(signed(s));
    return [{ path: FULL_PATH, headers: { 'content-type': JSON_TYPE }, chunks: [text.slice(0, 10), text.slice(10)] }];
  }],
  ['a content-length body sent in three writes', [200], (s) => {
    const text = JSON.stringify(signed(s));
    return [{ path: FULL_PATH, headers: { 'content-type': JSON_TYPE, 'content-length': String(text.length) }, chunks: [text.slice(0, 5), text.slice(5, 40), text.slice(40)] }];
  }],
  ['Connection: close', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { connection: 'close' }) }]],
  ['invalid UTF-8 in a clientId (Basic auth)', [200], () => [{
    path: FULL_PATH,
    body: Buffer.concat([Buffer.from('{"clientId":"a'), Buffer.from([0xff, 0xc3, 0x28, 0xf0, 0x9f]), Buffer.from('b"}')]),
    headers: { 'content-type': JSON_TYPE, authorization: basic(FULL_KEY) },
  }]],
  ['a multi-byte clientId written a byte at a time', [200], (s) => {
    const bytes = Buffer.from(JSON.stringify(signed(s, { clientId: 'zoë-😀-名前' })));
    return [{ path: FULL_PATH, headers: { 'content-type': JSON_TYPE, 'content-length': String(bytes.length) }, chunks: [...bytes].map((byte) => Buffer.from([byte])) }];
  }],
  ['a key revoked through the test controls', [200, 401, 401], (s) => [
    { path: '/_admin/keys/revoke', ...json({ keyName: keyName(LIMITED_KEY) }) },
    { path: LIMITED_PATH, ...json(signed(s, {}, LIMITED_KEY)) },
    { path: LIMITED_PATH, ...json({}, { authorization: basic(LIMITED_KEY) }) },
  ]],
  ['a server clock moved by the test controls', [200, 200, 401], (s) => [
    { path: '/_admin/clock', ...json({ offsetMs: HOUR }) },
    { path: FULL_PATH, ...json(signed(s, { timestamp: s.clock.now() + HOUR })) },
    { path: FULL_PATH, ...json(signed(s)) },
  ]],
  ['an Origin header (CORS)', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { origin: 'http://app.example' }) }]],
  ['an Origin header on a refusal', [400], (s) => [{ path: FULL_PATH, ...json(signed(s, { ttl: 0 }), { origin: 'http://app.example' }) }]],
  ['?format=msgpack', [200], (s) => [{ path: `${FULL_PATH}?format=msgpack`, ...json(signed(s)) }]],
  ['?format=json with Accept msgpack', [200], (s) => [{ path: `${FULL_PATH}?format=json`, ...json(signed(s), { accept: 'application/x-msgpack' }) }]],
  ['?format=xml', [400], (s) => [{ path: `${FULL_PATH}?format=xml`, ...json(signed(s)) }]],
  ['a Host the server does not own', [403], (s) => [{ path: FULL_PATH, ...json(signed(s), { host: 'evil.example' }) }]],
  ['a Host with the port the server owns', [200], (s) => [{ path: FULL_PATH, ...json(signed(s), { host: `localhost:${s.port}` }) }]],
  ['a percent-encoded key name', [200], (s) => [{ path: '/keys/testApp%2EfullKey/requestToken', ...json(signed(s)) }]],
  ['a key name with a semicolon', [401], (s) => [{ path: '/keys/testApp.fullKey;x/requestToken', ...json(signed(s)) }]],
  ['a key name longer than the router takes', [414], (s) => [{ path: `/keys/${'k'.repeat(2049)}/requestToken`, ...json(signed(s)) }]],
  ['a trailing slash', [404], (s) => [{ path: `${FULL_PATH}/`, ...json(signed(s)) }]],
  ['PUT instead of POST', [404], (s) => [{ method: 'PUT', path: FULL_PATH, ...json(signed(s)) }]],
];

describe('the same answers with and without the fast lane', () => {
  test.each(CASES)('%s', async (_label, statuses, build) => {
    const fast = lane();
    const slow = framework();
    expect(fast.clock.now()).toBe(slow.clock.now());
    const fastAnswers: unknown[] = [];
    const slowAnswers: unknown[] = [];
    for (const wire of build(fast)) fastAnswers.push(comparable(await send(fast, wire)));
    for (const wire of build(slow)) slowAnswers.push(comparable(await send(slow, wire)));
    expect(fastAnswers).toEqual(slowAnswers);
    expect(fastAnswers.map((answer) => Number((answer as { status: string }).status.slice(0, 3)))).toEqual(statuses);
  });
});

/** A server's token-request stats, request log entries and log lines since `linesFrom`, durations left out. */
async function sideEffects(server: TestServer, linesFrom: number): Promise<unknown> {
  const stats = await send(server, { method: 'GET', path: '/stats?unit=minute', headers: { authorization: basic(FULL_KEY) } });
  const requests = await send(server, { method: 'GET', path: '/_admin/requests' });
  const withoutDuration = ({ durationMs, ...entry }: { durationMs: unknown }) => {
    expect(typeof durationMs).toBe('number');
    return entry;
  };
  return {
    stats: JSON.parse(stats.body.toString('utf8'))[0]?.entries,
    requestLog: JSON.parse(requests.body.toString('utf8')).requests.map(withoutDuration),
    // Every line at every level, request lines with their duration left out.
    logLines: server.logLines
      .slice(linesFrom)
      .map((line) => (line.startsWith('info request ') ? withoutDuration(JSON.parse(line.slice('info request '.length))) : line)),
  };
}

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

/** Sends `requests` (raw HTTP/1.1 text) in one write on one connection; answers each response's status and body. */
async function pipelined(server: TestServer, requests: readonly string[]): Promise<Array<{ status: number; body: string }>> {
  const socket = connect(server.port, '127.0.0.1');
  const received: Buffer[] = [];
  const answers: Array<{ status: number; body: string }> = [];
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      let text = Buffer.concat(received).toString('latin1');
      for (;;) {
        const headEnd = text.indexOf('\r\n\r\n');
        const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, headEnd))?.[1];
        if (headEnd < 0 || length === undefined || text.length < headEnd + 4 + Number(length)) break;
        const end = headEnd + 4 + Number(length);
        answers.push({ status: Number(text.slice(9, 12)), body: Buffer.from(text.slice(headEnd + 4, end), 'latin1').toString('utf8') });
        text = text.slice(end);
      }
      received.splice(0, received.length, Buffer.from(text, 'latin1'));
      if (answers.length === requests.length) resolve();
    });
    socket.write(requests.join(''));
  });
  socket.destroy();
  for (const answer of answers) seen.push(answer.body);
  return answers;
}

function rawPost(server: TestServer, path: string, body: string): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

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

/** Writes `text` on a fresh connection and answers everything received until the server closes it. */
async function exchange(server: TestServer, text: string): Promise<string> {
  const socket = connect(server.port, '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  await new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('close', resolve);
    socket.end(text);
  });
  const answer = Buffer.concat(received).toString('utf8');
  seen.push(answer);
  return answer;
}

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
