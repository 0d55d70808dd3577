import fc from 'fast-check';
import { encode } from '@msgpack/msgpack';
import { connect } from 'node:net';
import { FULL_KEY, basic, bearer, expectAblyError, keyName, signTokenRequest, testConfig, toBody, useSuiteServer } from './helpers';

// Property: nothing a client sends makes the server answer 5xx (or crash). The test controls are
// off here: their fault injection answers 5xx on purpose.
const suite = useSuiteServer({ admin: false });

const printable = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
const routes = fc.constantFrom(
  ['GET', '/time'],
  ['POST', `/keys/${keyName(FULL_KEY)}/requestToken`],
  ['POST', '/keys/nobody.key/requestToken'],
  ['GET', '/channels/chat/messages'],
  ['POST', '/channels/chat/messages'],
  ['POST', '/api/v1/authenticate'],
  ['GET', '/api/v1/customers'],
  ['DELETE', '/channels/chat/messages'],
  ['GET', '/stats'],
  ['POST', '/messages'],
  ['GET', '/presence'],
  ['GET', '/channels/chat/presence'],
  ['GET', '/channels/chat/presence/history'],
  ['GET', '/channels/chat/messages/0000000000000001'],
  ['PATCH', '/channels/chat/messages/0000000000000001'],
  ['GET', '/channels/chat/messages/0000000000000001/versions'],
  ['POST', '/channels/chat/messages/0000000000000001/annotations'],
  ['GET', '/channels/chat/messages/x/annotations'],
  ['POST', '/oauth2/token'],
  ['GET', '/oauth2/token'],
  ['GET', '/.well-known/openid-configuration'],
);
const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constant(basic(FULL_KEY)),
  printable.map((text) => `Bearer ${text}`),
  printable.map((text) => bearer(text)),
  printable.map((text) => `Basic ${Buffer.from(text).toString('base64')}`),
  printable,
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }).map((value) => ({ type: 'application/json', data: JSON.stringify(value) as string | Buffer })),
  fc.string().map((text) => ({ type: 'application/json', data: text as string | Buffer })),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ type: 'application/x-msgpack', data: Buffer.from(bytes) as string | Buffer })),
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ type: 'application/x-msgpack', data: Buffer.from(encode(value)) as string | Buffer })),
  fc.record({
    ttl: fc.oneof(fc.integer(), fc.double(), fc.string()),
    capability: fc.oneof(fc.string(), fc.constant('{"*":["*"]}'), fc.constant('{"a":"b"}')),
    clientId: fc.oneof(fc.string(), fc.constant('*')),
  }, { requiredKeys: [] }).map((fields) => ({ type: 'application/json', data: JSON.stringify(fields) as string | Buffer })),
  printable.map((text) => ({ type: text, data: text as string | Buffer })),
  fc.dictionary(fc.constantFrom('grant_type', 'scope', 'client_id', 'client_secret', 'refresh_token', 'x'), fc.oneof(printable, fc.constantFrom('client_credentials', 'refresh_token')))
    .map((fields) => ({ type: 'application/x-www-form-urlencoded', data: new URLSearchParams(fields).toString() as string | Buffer })),
  fc.string().map((text) => ({ type: 'application/x-www-form-urlencoded', data: text as string | Buffer })),
);
const query = fc.oneof(fc.constant(''), fc.dictionary(fc.constantFrom('format', 'limit', 'direction', 'start', 'end', 'first', 'cursor', 'channels', 'clientId', 'unit', 'by', '_forceNack'), printable).map(
  (params) => `?${new URLSearchParams(params).toString()}`,
));

describe('robustness', () => {
  test('no client input produces a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(routes, authorization, body, query, async ([method, path], auth, payload, search) => {
        const headers: Record<string, string> = {};
        if (auth !== undefined) headers.authorization = auth;
        if (payload !== undefined) headers['content-type'] = payload.type;
        const response = await fetch(`${suite().url}${path}${search}`, {
          method,
          headers,
          ...(payload === undefined || method === 'GET' ? {} : { body: toBody(payload.data) }),
        });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  test('signed TokenRequests with arbitrary field values never produce a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ ttl: fc.option(fc.integer({ min: 1 }), { nil: undefined }), capability: fc.option(fc.string(), { nil: undefined }), clientId: fc.option(fc.string(), { nil: undefined }) }),
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        async (fields, skew) => {
          const request = signTokenRequest(FULL_KEY, { ...fields, timestamp: suite().clock.now() + skew });
          const response = await suite().call('POST', `/keys/${keyName(FULL_KEY)}/requestToken`, { json: request });
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// Raw HTTP the parser refuses before any route runs, and requests that stall mid-way. Fastify's
// default answer for these is `{"error":"Bad Request","message":"Client Error"}` with no code.
const REQUEST_TIMEOUT_MS = 400;
const hardened = useSuiteServer({ admin: true, config: testConfig({ limits: { requestTimeoutMs: REQUEST_TIMEOUT_MS } }) });

interface RawAnswer {
  text: string;
  closedAfterMs: number;
}

/** Writes `chunks` on a fresh socket and reads until the server closes it. */
function rawExchange(chunks: readonly (string | Buffer)[]): Promise<RawAnswer> {
  const { port } = new URL(hardened().url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text: Buffer.concat(received).toString('latin1'), closedAfterMs: Date.now() - started }));
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    setTimeout(() => reject(new Error('the server never closed the connection')), 20 * REQUEST_TIMEOUT_MS).unref();
  });
}

function envelopeOf(answer: RawAnswer): { status: number; code: number | undefined; fastifyDefault: boolean } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer.text)?.[1]);
  const body = answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4);
  let code: number | undefined;
  try {
    code = (JSON.parse(body) as { error?: { code?: number } }).error?.code;
  } catch {
    code = undefined;
  }
  return { status, code, fastifyDefault: body.includes('"Client Error"') || body.includes('"Client Timeout"') || body.includes('"error":"') };
}

describe('malformed HTTP and stalled requests (raw sockets)', () => {
  const malformed: Array<[string, string]> = [
    ['an unknown method', 'FOO /time HTTP/1.1\r\nHost: localhost\r\n\r\n'],
    ['a header name with a space', 'GET /time HTTP/1.1\r\nHost: localhost\r\nBad Header: 1\r\n\r\n'],
    ['no Host on HTTP/1.1', 'GET /time HTTP/1.1\r\n\r\n'],
    ['headers over 16 KiB', `GET /time HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`],
    ['a bad HTTP version', 'GET /time HTTP/9.Q\r\nHost: localhost\r\n\r\n'],
    ['a NUL in a header value', 'GET /time HTTP/1.1\r\nHost: localhost\r\nX-A: a\u0000b\r\n\r\n'],
    ['a malformed chunk size', 'POST /channels/c/messages HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['both Content-Length and chunked', 'POST /time HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ];

  test.each(malformed)('%s gets a 4xx in Ably\'s envelope with a code, never Fastify\'s default body', async (_name, request) => {
    const answer = envelopeOf(await rawExchange([request]));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.code).toBe(answer.status === 431 ? 43100 : 40000);
    expect(answer.fastifyDefault).toBe(false);
  });

  const metquayMalformed: Array<[string, string, number]> = [
    ['headers over 16 KiB', `GET /api/v1/customers HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`, 431],
    ['a header name with a space', 'POST /api/v1/authenticate HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n', 400],
    ['a NUL in a header value', 'GET /api/v1?x=1 HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n', 400],
  ];

  test.each(metquayMalformed)('on a Metquay path, %s gets its 4xx in Metquay\'s { code, message }, not Ably\'s envelope', async (_name, request, status) => {
    const answer = await rawExchange([request]);
    const [head = '', body = ''] = answer.text.split('\r\n\r\n');
    expect(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1])).toBe(status);
    expect(JSON.parse(body)).toEqual({ code: status, message: expect.any(String) });
    expect(head.toLowerCase()).not.toContain('x-ably-errorcode');
  });

  test('a path that only starts like a Metquay one keeps Ably\'s envelope', async () => {
    const answer = envelopeOf(await rawExchange([`GET /api/v10 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`]));
    expect([answer.status, answer.code]).toEqual([431, 43100]);
  });

  test('fuzzed request lines and header blocks: 0 Fastify default bodies, 0 5xx', async () => {
    const line = fc.stringMatching(/^[\x00-\x7f]{0,60}$/);
    let fastifyDefaults = 0;
    await fc.assert(
      fc.asyncProperty(line, fc.array(line, { maxLength: 4 }), async (requestLine, headers) => {
        const answer = await rawExchange([`${requestLine}\r\n${headers.join('\r\n')}\r\n\r\n`]);
        const parsed = envelopeOf(answer);
        if (parsed.fastifyDefault) fastifyDefaults += 1;
        if (!Number.isNaN(parsed.status)) expect(parsed.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
    expect(fastifyDefaults).toBe(0);
  });

  test(`connections stalled mid-body or mid-headers are answered 408 (40800) and closed after the ${REQUEST_TIMEOUT_MS} ms request timeout`, async () => {
    const stalls = [
      ...Array.from({ length: 10 }, () => ['POST /channels/c/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":']),
      ...Array.from({ length: 10 }, () => ['GET /time HTTP/1.1\r\nHost: localhost\r\nX-Slow: ']),
    ];
    const answers = await Promise.all(stalls.map((chunks) => rawExchange(chunks)));
    const stillOpenPastTimeout = answers.filter((answer) => answer.closedAfterMs > REQUEST_TIMEOUT_MS * 10).length;
    expect(stillOpenPastTimeout).toBe(0);
    for (const answer of answers) {
      expect(answer.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
      expect(envelopeOf(answer)).toEqual({ status: 408, code: 40800, fastifyDefault: false });
    }
  });
});

describe('memory bounded in bytes with 60 KB fields', () => {
  const sixtyKb = 'x'.repeat(60 * 1024);
  const bounded = useSuiteServer({
    config: testConfig({ ably: { maxTokenStoreBytes: 2 * 1024 * 1024, maxMessageStoreBytes: 1024 * 1024 }, limits: { bodyLimitBytes: 256 * 1024 } }),
  });
  const stats = async () => (await bounded().call('GET', '/_admin/stats')).body as { tokenBytes: number; messageBytes: number; tokens: number };

  test('60 KB clientIds and nonces are refused (40012, 40003) and never stored', async () => {
    const server = bounded();
    const byClientId = signTokenRequest(FULL_KEY, { timestamp: server.clock.now(), clientId: sixtyKb });
    const byNonce = signTokenRequest(FULL_KEY, { timestamp: server.clock.now(), nonce: sixtyKb });
    const path = `/keys/${keyName(FULL_KEY)}/requestToken`;
    expect((await server.call('POST', path, { json: byClientId })).body.error.code).toBe(40012);
    expect((await server.call('POST', path, { json: byNonce })).body.error.code).toBe(40003);
    expect((await stats()).tokens).toBe(0);
  });

  test('tokens with 60 KB capabilities: the token store stays under its 2 MiB bound', async () => {
    const server = bounded();
    for (let i = 0; i < 60; i++) {
      const request = signTokenRequest(FULL_KEY, { timestamp: server.clock.now(), capability: JSON.stringify({ [`${i}${sixtyKb}`]: ['publish'] }) });
      expect((await server.call('POST', `/keys/${keyName(FULL_KEY)}/requestToken`, { json: request })).status).toBe(200);
    }
    const { tokenBytes, tokens } = await stats();
    expect(tokenBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(tokens).toBeLessThan(60);
  });

  test('60 KB messages over many channels: the message store stays under its 1 MiB bound; one over 64 KiB is 40009', async () => {
    const server = bounded();
    for (let i = 0; i < 40; i++) {
      const response = await server.call('POST', `/channels/bulk-${i}/messages`, { json: { name: 'big', data: sixtyKb }, headers: { authorization: basic(FULL_KEY) } });
      expect(response.status).toBe(201);
    }
    expect((await stats()).messageBytes).toBeLessThanOrEqual(1024 * 1024);
    const tooBig = await server.call('POST', '/channels/bulk/messages', {
      json: [{ data: sixtyKb }, { data: sixtyKb }],
      headers: { authorization: basic(FULL_KEY) },
    });
    expectAblyError(tooBig, 40009, 400);
  });
});
