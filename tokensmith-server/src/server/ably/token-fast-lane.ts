import { Buffer } from 'node:buffer';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { acceptedFormat, decodeMsgpackBody, encodeMsgpack, wireContentType, type WireFormat } from '../lib/wire';
import type { RequestRecorder } from '../admin/request-log';
import type { AblyApps } from './apps';
import { issueToken, TOKEN_CACHE_HEADERS, type RequestTokenBody } from './issue-token';

/**
 * `POST /keys/{keyName}/requestToken` is what every client calls most, and Fastify's request
 * machinery (request and reply objects, hook chains, body parser, schema validator) costs more
 * than the token itself. The fast lane answers the plain case of that route straight from Node's
 * `request` event, and hands everything else to Fastify untouched, so every behaviour has one
 * source: Fastify's route.
 *
 * It takes a request only when nothing about it needs the framework: a JSON or msgpack body of a
 * declared length within the body limit, no query, no percent-encoding in the key name, no `Origin`
 * (CORS), a `Host` the server owns, not while closing or while a test-control fault is queued,
 * and not pipelined behind a request still unanswered. Once it has read the body it answers only a
 * success: a body it cannot vouch for (not a plain JSON or msgpack object, or a field the schema
 * would refuse) or a request `issueToken` refuses goes to Fastify as if the lane did not exist,
 * with the same bytes. `issueToken` records nothing before it succeeds, so Fastify judges the
 * request afresh and answers with the same refusal. A success is answered with the headers and body the route sends
 * and counted in the same stats and request log.
 */

/** What the lane needs from the server it runs in. */
export interface TokenFastLaneOptions {
  apps: AblyApps;
  /** The Host check the server's own hook applies (lib/host-check.ts). */
  isOwnHost: (host: string) => boolean;
  bodyLimit: number;
  maxParamLength: number;
  /** True while every request must go through Fastify (the server is closing, a fault is queued). */
  frameworkOnly: () => boolean;
  /** Called after each answer the lane sends, as the request log's `onResponse` hook would be. */
  answered?: RequestRecorder;
}

const ROUTE = /^\/keys\/([^/?%#]+)\/requestToken$/;
// The schema's `minLength: 16` counts code points; a nonce this long has at least 16 of them.
const NONCE_MIN = 16;

/**
 * Puts the lane in front of Fastify's handler on `server` (Fastify's own `request` listener,
 * which must be registered already). Other `request` listeners keep their order.
 */
export function installTokenFastLane(server: Server, options: TokenFastLaneOptions): void {
  const [framework, ...others] = server.listeners('request') as RequestListener[];
  if (framework === undefined) throw new Error('installTokenFastLane: the server has no request handler yet');
  server.removeAllListeners('request');
  const lane = tokenFastLane(options, (request, response) => framework.call(server, request, response));
  server.on('request', lane);
  for (const listener of others) server.on('request', listener);
}

function tokenFastLane(options: TokenFastLaneOptions, framework: RequestListener): RequestListener {
  const { apps, frameworkOnly, answered } = options;
  return (request, response) => {
    const keyName = request.method === 'POST' ? ROUTE.exec(request.url ?? '')?.[1] : undefined;
    const format = keyName === undefined ? undefined : laneFormat(request, keyName, options);
    if (keyName === undefined || format === undefined || frameworkOnly()) {
      framework(request, response);
      return;
    }
    const started = answered === undefined ? 0 : performance.now();
    // Node frames the body by its Content-Length, checked against the limit above.
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client gone mid-body: Node closes the socket; there is nothing to answer.
    request.on('error', () => undefined);
    request.on('end', () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const state = apps.forKeyName(keyName);
      // Node queues the answer of a request pipelined behind one not yet answered (no socket yet).
      // Fastify may still be judging that earlier request; judging this one here first could change
      // its answer (a nonce both carry), so Fastify takes this one too, after it.
      const tokenRequest = response.socket === null ? undefined : plainTokenRequest(body, format);
      let details;
      try {
        details = tokenRequest === undefined ? undefined : issueToken(request.headers.authorization, keyName, tokenRequest, state);
      } catch {
        details = undefined;
      }
      if (details === undefined) {
        framework(replayOf(request, body), response);
        return;
      }
      const answerFormat = acceptedFormat(request.headers.accept);
      const answer = answerFormat === 'json' ? JSON.stringify(details) : encodeMsgpack(details);
      // The route's headers, in the order Fastify writes them.
      response.writeHead(200, {
        ...TOKEN_CACHE_HEADERS,
        'content-type': wireContentType(answerFormat),
        'content-length': typeof answer === 'string' ? Buffer.byteLength(answer) : answer.length,
      });
      response.end(answer);
      state.stats.count('apiRequests.tokenRequests.succeeded', 1, state.clock.now());
      answered?.('POST', request.url!, 200, Math.round((performance.now() - started) * 10) / 10);
    });
  };
}

// The body's encoding when nothing about the request's head needs the framework, else undefined:
// a key name the router takes, a body of declared length within the limit, no CORS, no
// `Expect`, a Host the server owns, a content type the lane decodes.
function laneFormat(request: IncomingMessage, keyName: string, options: TokenFastLaneOptions): WireFormat | undefined {
  const { headers } = request;
  const length = headers['content-length'];
  const bounded = length !== undefined && headers['transfer-encoding'] === undefined && /^[1-9][0-9]{0,8}$/.test(length) && Number(length) <= options.bodyLimit;
  const plain = headers.origin === undefined && headers.expect === undefined && headers.host !== undefined && options.isOwnHost(headers.host);
  return bounded && plain && keyName.length <= options.maxParamLength ? bodyFormat(headers['content-type']) : undefined;
}

/**
 * The encoding of a body with this `Content-Type` when Fastify is sure to pick that encoding's
 * parser for it. Its matching lowercases, drops parameters and trims, but only these exact
 * spellings are taken; every other one goes to Fastify, which answers them the same either way.
 */
function bodyFormat(type: string | undefined): WireFormat | undefined {
  if (type === 'application/json' || type === 'application/json; charset=utf-8') return 'json';
  return type === 'application/x-msgpack' ? 'msgpack' : undefined;
}

/**
 * The body as TokenParams or a TokenRequest when the lane can vouch that Fastify's parser for
 * `format` and the route's schema would accept it as it is, else undefined.
 */
export function plainTokenRequest(body: Buffer, format: WireFormat = 'json'): RequestTokenBody | undefined {
  return vouchedTokenRequest(format === 'json' ? plainJson(body) : plainMsgpack(body));
}

// The JSON value of `body`, or undefined. Anything needing the parser's prototype checks
// (`__proto__`, `constructor`, escapes that could spell them) is left to Fastify.
function plainJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// The msgpack value of `body` as the route's parser decodes it, when it is a map whose values are
// all strings, booleans, nil or finite numbers, else undefined. Whatever JSON cannot carry (bytes,
// extension types and dates, NaN and infinities, nested values) is left to Fastify. Map keys
// arrive as the decoder makes them: numbers become property names, a `__proto__` key or any other
// key type makes it throw.
function plainMsgpack(body: Buffer): unknown {
  let value: unknown;
  try {
    value = decodeMsgpackBody(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const field of Object.values(value)) {
    if (field !== null && typeof field !== 'string' && typeof field !== 'boolean' && !(typeof field === 'number' && Number.isFinite(field))) return undefined;
  }
  return value;
}

/**
 * `value` as TokenParams or a TokenRequest when the route's schema is sure to accept it as it is,
 * else undefined: a plain object (no own `__proto__`) whose every field the schema constrains
 * meets the same rule or a stricter one.
 */
export function vouchedTokenRequest(value: unknown): RequestTokenBody | undefined {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype || Object.hasOwn(value, '__proto__')) return undefined;
  const { ttl, capability, clientId, timestamp, nonce } = value as Record<string, unknown>;
  const valid =
    (ttl === undefined || (Number.isInteger(ttl) && (ttl as number) >= 1)) &&
    (capability === undefined || typeof capability === 'string') &&
    (clientId === undefined || (typeof clientId === 'string' && clientId.length >= 1)) &&
    (timestamp === undefined || (Number.isInteger(timestamp) && (timestamp as number) >= 0)) &&
    (nonce === undefined || (typeof nonce === 'string' && atLeastCodePoints(nonce, NONCE_MIN)));
  return valid ? (value as RequestTokenBody) : undefined;
}

function atLeastCodePoints(text: string, count: number): boolean {
  if (text.length >= 2 * count) return true;
  if (text.length < count) return false;
  return [...text].length >= count;
}

/**
 * The request as Fastify would have received it: same head and socket, the body already read
 * offered again as a stream.
 */
function replayOf(request: IncomingMessage, body: Buffer): IncomingMessage {
  const replay = Readable.from(body.length === 0 ? [] : [body], { objectMode: false }) as Readable & Record<string, unknown>;
  for (const field of ['method', 'url', 'headers', 'rawHeaders', 'trailers', 'rawTrailers', 'httpVersion', 'httpVersionMajor', 'httpVersionMinor', 'socket'] as const) {
    replay[field] = request[field];
  }
  replay['connection'] = request.socket;
  replay['aborted'] = false;
  replay['complete'] = true;
  return replay as unknown as IncomingMessage;
}
