import { connect, type Socket } from 'node:net';
import { seededRandom } from '../../../tokensmith-server/src/server/spec/sample';

/**
 * A raw-socket fuzzer for `tokensmith serve --spec`: keep-alive connections sending requests
 * built from the served routes with random paths, methods, headers, tokens, queries and bodies
 * (valid, malformed, truncated, oversized), one at a time per connection, each bounded in time.
 */

/** What a run saw. */
export interface FuzzReport {
  requests: number;
  /** Answers by status code. */
  statuses: Record<number, number>;
  /** Answers with status >= 500 the request did not ask for (no `Prefer: code=5xx`). */
  serverErrors: number;
  /** Requests with no complete answer within `timeoutMs` while the connection stayed open. */
  hangs: number;
  /** Connections the server closed without answering (after a request the parser refused, say). */
  closedWithoutAnswer: number;
  /** A few requests that got a 5xx or hung, to reproduce. */
  samples: string[];
  /** The request lines of a few requests closed without an answer. */
  closedSamples: string[];
  elapsedMs: number;
}

export interface FuzzOptions {
  port: number;
  /** Paths of real operations, with `{param}` templates filled in by the fuzzer. */
  routes: Array<{ method: string; path: string }>;
  /** Credentials to try among random ones. */
  authorizations: string[];
  count: number;
  connections?: number;
  seed?: number;
  timeoutMs?: number;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'FOO', 'get', 'CONNECT'];
const JUNK = ['', '%', '%zz', '%00', '..', '../..', '\u00e9', '%ff%fe', '//', '{id}', ':x', '*', '?', '#', ';', '%2F', 'a'.repeat(3000)];

export async function fuzzSpecServer(options: FuzzOptions): Promise<FuzzReport> {
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const report: FuzzReport = { requests: 0, statuses: {}, serverErrors: 0, hangs: 0, closedWithoutAnswer: 0, samples: [], closedSamples: [], elapsedMs: 0 };
  const started = Date.now();
  let issued = 0;

  const build = (): { text: string; wantsServerError: boolean } => {
    const route = pick(options.routes);
    const r = random();
    let path = route.path.replace(/\{[^}]+\}/g, () => (random() < 0.7 ? String(Math.floor(random() * 100) + 1) : encodeURIComponent(pick(JUNK)) || 'x'));
    if (r < 0.1) path += `/${pick(JUNK)}`;
    else if (r < 0.15) path = `/${pick(JUNK)}${path}`;
    const query = random() < 0.5 ? '' : `?${Array.from({ length: 1 + Math.floor(random() * 4) }, () => `${pick(['limit', 'first', 'offset', 'page', 'status', 'search', 'direction', 'unit', pick(JUNK)])}=${pick(['1', '0', '-1', '1e309', 'NaN', 'true', 'passed', 'x', '', '%', '999999999999999999999', pick(JUNK)])}`).join('&')}`;
    const method = random() < 0.85 ? route.method : pick(METHODS);
    const headers: string[] = ['Host: 127.0.0.1'];
    const auth = random();
    if (auth < 0.5) headers.push(`Authorization: ${pick(options.authorizations)}`);
    else if (auth < 0.8) headers.push(`Authorization: ${pick(['Bearer ', 'Bearer', 'Basic ', 'Basic !!!', 'bearer x', 'Digest a=b', 'Bearer ' + 'x'.repeat(9000), `Bearer ${Math.floor(random() * 1e9)}`, 'Basic ' + Buffer.from('app.key:').toString('base64')])}`);
    let wantsServerError = false;
    if (random() < 0.2) {
      const prefer = pick(['code=200', 'code=201', 'code=404', 'code=400', 'code=999', 'code=abc', 'example=nope', 'dynamic=true', 'code=', '', 'code=2XX', 'code=503']);
      wantsServerError = /code=5/.test(prefer);
      headers.push(`Prefer: ${prefer}`);
    }
    if (random() < 0.1) headers.push(`X-Api-Key: ${pick(['', 'x', 'api-key-secret-0123456789abcdef'])}`);
    if (random() < 0.1) headers.push(`Cookie: ${pick(['a=b', '=', ';;', 'key=%zz'])}`);
    if (random() < 0.05) headers.push(`X-Ably-Version: ${pick(['2', '', 'é'])}`);
    const bodies: Array<string | undefined> = [
      undefined,
      '{}',
      '{"name":"x"}',
      '{"name":7}',
      '[]',
      'null',
      '"text"',
      '{"instrumentId":1,"status":"passed","readings":[{"point":1,"measured":2,"uncertainty":0}]}',
      '{"id":"a","platform":"ios","formFactor":"phone"}',
      '{"targets":["clientId:a"]}',
      '{"name":"x"',
      '{"__proto__":{"polluted":1},"name":"p"}',
      '{"constructor":{"prototype":{"x":1}}}',
      JSON.stringify({ name: 'x'.repeat(20_000) }),
      '\u0000\u0001',
      '{"a":' + '['.repeat(2000) + ']'.repeat(2000) + '}',
    ];
    const body = pick(bodies);
    let text = `${method} ${path}${query} HTTP/1.1\r\n${headers.join('\r\n')}\r\n`;
    if (body !== undefined) {
      const type = pick(['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'application/merge-patch+json', 'multipart/form-data', 'xx']);
      const length = Buffer.byteLength(body);
      const declared = random() < 0.03 ? length + 5 : length; // a few truncated bodies: the request timeout must close them
      text += `Content-Type: ${type}\r\nContent-Length: ${declared}\r\n\r\n${body}`;
    } else {
      text += '\r\n';
    }
    return { text, wantsServerError };
  };

  const worker = async (): Promise<void> => {
    let socket: Socket | undefined;
    while (issued < options.count) {
      issued++;
      const { text, wantsServerError } = build();
      socket ??= await open(options.port);
      const answer = await exchange(socket, text, options.timeoutMs ?? 15_000);
      report.requests++;
      if (answer.kind === 'answer') {
        report.statuses[answer.status] = (report.statuses[answer.status] ?? 0) + 1;
        if (answer.status >= 500 && !wantsServerError) {
          report.serverErrors++;
          if (report.samples.length < 12) report.samples.push(`${answer.status} <- ${text.slice(0, 300)}`);
        }
        if (answer.closed) socket = undefined;
      } else {
        if (answer.kind === 'hang') {
          report.hangs++;
          if (report.samples.length < 12) report.samples.push(`hang <- ${text.slice(0, 300)}`);
        } else {
          report.closedWithoutAnswer++;
          if (report.closedSamples.length < 8) report.closedSamples.push(text.slice(0, text.indexOf('\r\n')).slice(0, 120));
        }
        socket.destroy();
        socket = undefined;
      }
    }
    socket?.destroy();
  };
  await Promise.all(Array.from({ length: options.connections ?? 8 }, worker));
  report.elapsedMs = Date.now() - started;
  return report;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

type Answer = { kind: 'answer'; status: number; closed: boolean } | { kind: 'hang' } | { kind: 'closed' };

/** Writes one request and reads one complete answer (Content-Length or chunked), or times out. */
function exchange(socket: Socket, request: string, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let done = false;
    const finish = (answer: Answer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onClose);
      resolve(answer);
    };
    const parse = (ended: boolean): void => {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString('latin1');
      if (request.startsWith('HEAD ')) return finish({ kind: 'answer', status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), closed: /\r\nconnection: close/i.test(head) });
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      const closes = /\r\nconnection: close/i.test(head);
      const length = /\r\ncontent-length: (\d+)/i.exec(head);
      const body = buffer.subarray(end + 4);
      if (length) {
        if (body.length >= Number(length[1])) finish({ kind: 'answer', status, closed: closes });
      } else if (/\r\ntransfer-encoding: chunked/i.test(head)) {
        if (body.includes('0\r\n\r\n')) finish({ kind: 'answer', status, closed: closes });
      } else if (status === 204 || status === 304 || ended || request.startsWith('HEAD')) {
        finish({ kind: 'answer', status, closed: closes || ended });
      }
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      parse(false);
    };
    const onClose = () => {
      parse(true);
      finish({ kind: 'closed' });
    };
    const timer = setTimeout(() => finish({ kind: 'hang' }), timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onClose);
    socket.write(request);
  });
}
