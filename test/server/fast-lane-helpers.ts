import { Buffer } from 'node:buffer';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { decode, encode } from '@msgpack/msgpack';
import { FULL_KEY, LIMITED_KEY, basic, keyName, seen, signTokenRequest, useSuiteServer, type TestServer, type TokenRequestFields } from './helpers';

// What the token fast lane tests share: a server with the lane and one without, a raw HTTP client
// that sees headers as written and in order, and the views of an answer and of a server's side
// effects that must match between the two.

/**
 * Two suite servers with the same config and clocks at the same time: one with the token fast lane
 * (the default), one sending every request through Fastify.
 */
export function useLaneAndFramework(): { lane: () => TestServer; framework: () => TestServer } {
  return { lane: useSuiteServer({ tokenFastLane: true }), framework: useSuiteServer({ tokenFastLane: false }) };
}

export const FULL_PATH = `/keys/${keyName(FULL_KEY)}/requestToken`;
export const LIMITED_PATH = `/keys/${keyName(LIMITED_KEY)}/requestToken`;
export const HOUR = 60 * 60_000;
export const JSON_TYPE = 'application/json';

/** One request as sent on the wire. */
export interface WireRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent whole, with its Content-Length. */
  body?: string | Buffer;
  /** Or written in these pieces: chunked unless `headers` declare a Content-Length. */
  chunks?: readonly (string | Buffer)[];
}

/** One answer as received: status line, every header as sent (names as written, in order), raw body. */
export interface WireAnswer {
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

export function send(server: TestServer, wire: WireRequest): Promise<WireAnswer> {
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
/** A JSON body with its content type, plus `headers`. */
export const json = (value: unknown, headers: Record<string, string> = {}): Pick<WireRequest, 'body' | 'headers'> => ({
  body: JSON.stringify(value),
  headers: { 'content-type': JSON_TYPE, ...headers },
});

export const MSGPACK_TYPE = 'application/x-msgpack';

/** A msgpack body (as the encoder writes `value`) with its content type, plus `headers`. */
export const msgpack = (value: unknown, headers: Record<string, string> = {}): Pick<WireRequest, 'body' | 'headers'> => ({
  body: Buffer.from(encode(value)),
  headers: { 'content-type': MSGPACK_TYPE, ...headers },
});

/**
 * A msgpack map written pair by pair, so keys can be what no JS object holds: numbers, nil,
 * bytes, `__proto__`, the same key twice.
 */
export function msgpackMap(entries: ReadonlyArray<readonly [unknown, unknown]>): Buffer {
  const head = Buffer.from([0xde, entries.length >> 8, entries.length & 0xff]);
  return Buffer.concat([head, ...entries.flatMap(([key, value]) => [encode(key), encode(value)])]);
}

/** A TokenRequest signed with `key` at the server's time, `fields` over the defaults. */
export const signed = (server: TestServer, fields: Partial<TokenRequestFields> = {}, key = FULL_KEY) =>
  signTokenRequest(key, { timestamp: server.clock.now(), ...fields });

/**
 * What a client can compare between two answers: status line, headers in order (the Date value
 * aside), the body decoded and its bytes, with the token (random per server) replaced by its shape.
 */
export function comparable(answer: WireAnswer): unknown {
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
/** A server's token-request stats, request log entries and log lines since `linesFrom`, durations left out. */
export async function sideEffects(server: TestServer, linesFrom: number): Promise<unknown> {
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
/** Sends `requests` (raw HTTP/1.1 text) in one write on one connection; answers each response's status and body. */
export async function pipelined(server: TestServer, requests: readonly string[]): Promise<Array<{ status: number; body: string }>> {
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

/** A raw HTTP/1.1 JSON POST of `body` to `path` on `server`. */
export function rawPost(server: TestServer, path: string, body: string): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}
/** Writes `text` on a fresh connection and answers everything received until the server closes it. */
export async function exchange(server: TestServer, text: string): Promise<string> {
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
