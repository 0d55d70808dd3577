import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { startSpecServer, type SpecServer } from '../../tokensmith-server/src/server/spec/start';
import { testConfig, useSuiteServer } from './helpers';
import { METQUAY_LIKE, TOKENS, specTestConfig } from './spec/helpers';

// Every answer is in its API's envelope, the ones Node's HTTP parser makes before any route runs
// too: Ably's `{ error: { code, statusCode, … } }` at the root, Metquay's `{ code, message }` under
// /api/v1, OAuth2's `{ error, error_description }` at the token endpoint, and the spec server's
// `{ code, message }` on its paths. Raw sockets, so the request can be split over TCP writes.
const REQUEST_TIMEOUT_MS = 400;
const auth = useSuiteServer({ admin: false, config: testConfig({ limits: { requestTimeoutMs: REQUEST_TIMEOUT_MS } }) });
let spec: SpecServer;
beforeAll(async () => {
  const config = { ...(await specTestConfig([METQUAY_LIKE], Date.now())), limits: { requestTimeoutMs: REQUEST_TIMEOUT_MS } };
  spec = await startSpecServer({ specs: [METQUAY_LIKE], config });
});
afterAll(async () => spec.close());

type Envelope = 'ably' | 'metquay' | 'oauth2' | 'spec';

interface Api {
  name: string;
  envelope: Envelope;
  url: () => string;
  /** A path of the API taking a POST body of `type`. */
  post: string;
  type: string;
  /** Credentials the route checks before it reads a body. */
  auth?: string;
}

const APIS: Api[] = [
  { name: 'Ably', envelope: 'ably', url: () => auth().url, post: '/channels/c/messages', type: 'application/json' },
  { name: 'Metquay /api/v1', envelope: 'metquay', url: () => auth().url, post: '/api/v1/authenticate', type: 'application/json' },
  { name: 'OAuth2 on the auth server', envelope: 'oauth2', url: () => auth().url, post: '/oauth2/token', type: 'application/x-www-form-urlencoded' },
  { name: 'the spec server', envelope: 'spec', url: () => spec.url, post: '/api/v1/customers', type: 'application/json', auth: `Authorization: Bearer ${TOKENS.all}\r\n` },
  { name: 'OAuth2 on the spec server', envelope: 'oauth2', url: () => spec.url, post: '/oauth2/token', type: 'application/x-www-form-urlencoded' },
];

interface Case {
  name: string;
  status: number;
  /** The request's bytes, one entry per TCP write. */
  chunks: (api: Api) => string[];
}

const BIG = 'a'.repeat(17 * 1024);
const head = (api: Api, extra = '') => `POST ${api.post} HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${api.type}\r\n${api.auth ?? ''}${extra}`;
const CASES: Case[] = [
  { name: '431: headers over 16 KiB in one write', status: 431, chunks: (api) => [`${head(api)}X-Big: ${BIG}\r\n\r\n`] },
  { name: '431: the header block split over writes, the overflow in the last', status: 431, chunks: (api) => [head(api), `X-Big: ${BIG.slice(0, 9_000)}`, `${BIG.slice(9_000)}\r\n\r\n`] },
  { name: '400: a malformed header in a later write', status: 400, chunks: (api) => [head(api), 'Bad Header: 1\r\n\r\n'] },
  { name: '400: the request line split over writes', status: 400, chunks: (api) => [`POST ${api.post.slice(0, 6)}`, `${api.post.slice(6)} HTTP/1.1\r\nHost: localhost\r\nBad Header: 1\r\n\r\n`] },
  { name: '408: stalled mid-headers', status: 408, chunks: (api) => [`${head(api)}X-Slow: `] },
  { name: '408: stalled mid-body', status: 408, chunks: (api) => [`${head(api)}Content-Length: 100\r\n\r\nab`] },
  { name: '413: a body over the limit', status: 413, chunks: (api) => [`${head(api)}Content-Length: ${4 * 1024 * 1024}\r\n\r\n${'x'.repeat(1024)}`] },
  { name: '415: an unsupported media type', status: 415, chunks: (api) => [`POST ${api.post} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/x-unknown\r\nContent-Length: 2\r\n\r\nab`] },
  { name: '400: HTTP/1.1 without a Host', status: 400, chunks: (api) => [`POST ${api.post} HTTP/1.1\r\nContent-Type: ${api.type}\r\nContent-Length: 2\r\n\r\nab`] },
  { name: '403: a Host the server does not answer for', status: 403, chunks: (api) => [`POST ${api.post} HTTP/1.1\r\nHost: evil.example\r\nContent-Type: ${api.type}\r\nContent-Length: 2\r\n\r\nab`] },
];

interface RawAnswer {
  status: number;
  headers: string;
  body: unknown;
}

/** Writes `chunks` on a fresh socket, each once the one before had time to be read on its own, and reads until the server closes. */
function exchange(url: string, chunks: readonly string[]): Promise<RawAnswer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.setNoDelay(true);
    const received: Buffer[] = [];
    socket.on('data', (chunk) => {
      received.push(chunk);
      // A complete answer is enough: a 413 or 415 keeps the connection open.
      const text = Buffer.concat(received).toString('latin1');
      const length = /\r\ncontent-length: (\d+)/i.exec(text)?.[1];
      const bodyStart = text.indexOf('\r\n\r\n') + 4;
      if (length !== undefined && bodyStart >= 4 && Buffer.byteLength(text.slice(bodyStart), 'latin1') >= Number(length)) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('latin1');
      const [headers = '', body = ''] = text.split('\r\n\r\n');
      let parsed: unknown = body;
      try {
        parsed = JSON.parse(body);
      } catch {
        // left as text: the assertions say what was expected
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), headers: headers.toLowerCase(), body: parsed });
    });
    socket.on('connect', async () => {
      for (const [index, chunk] of chunks.entries()) {
        // Separate writes are read separately by the server only if it had a moment in between.
        if (index > 0) await delay(30);
        if (!socket.destroyed) socket.write(chunk);
      }
    });
    setTimeout(() => reject(new Error('the server never answered')), 20 * REQUEST_TIMEOUT_MS).unref();
  });
}

function expectEnvelope(answer: RawAnswer, envelope: Envelope, status: number): void {
  expect(answer.status).toBe(status);
  if (envelope === 'ably') {
    const code = (answer.body as { error?: { code?: number } }).error?.code ?? 0;
    expect(answer.body).toEqual({ error: { code, statusCode: status, message: expect.any(String), href: `https://help.ably.io/error/${code}` } });
    expect(Math.floor(code / 100)).toBe(status);
    expect(answer.headers).toContain(`x-ably-errorcode: ${code}`);
    return;
  }
  expect(answer.headers).not.toContain('x-ably-errorcode');
  if (envelope === 'oauth2') {
    expect(answer.body).toEqual({ error: expect.stringMatching(/^[a-z_]+$/), error_description: expect.any(String) });
    return;
  }
  expect(answer.body).toEqual({ code: status, message: expect.any(String) });
}

// OAuth2 answers a body it cannot take with 400 invalid_request (RFC 6749 §5.2), not 413/415.
const statusFor = (api: Api, testCase: Case): number => (api.envelope === 'oauth2' && (testCase.status === 413 || testCase.status === 415) ? 400 : testCase.status);

// The spec server keeps bodies of any media type as bytes: no 415 there.
const table = APIS.flatMap((api) => CASES.filter((testCase) => !(api.envelope === 'spec' && testCase.status === 415)).map((testCase) => [api.name, testCase.name, api, testCase] as const));

test.concurrent.each(table)('%s, %s: in its envelope', async (_api, _case, api, testCase) => {
  const answer = await exchange(api.url(), testCase.chunks(api));
  expectEnvelope(answer, api.envelope, statusFor(api, testCase));
});

const ablyPostInTwoWrites = ['POST /channels/c/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n', '{"name":"one"}'];
test.each([
  ['an Ably request, then a refused Metquay one', ['GET /time HTTP/1.1\r\nHost: localhost\r\n\r\n'], '/api/v1/authenticate', 'metquay'],
  ['a Metquay request, then a refused Ably one', ['GET /api/v1/customers HTTP/1.1\r\nHost: localhost\r\n\r\n'], '/channels/c/messages', 'ably'],
  ['an Ably request whose body came in its own write, then a refused Metquay one', ablyPostInTwoWrites, '/api/v1/authenticate', 'metquay'],
] as const)('on a kept-alive connection, %s: the refused request\'s own path decides', async (_name, first, refusedPath, envelope) => {
  const { port } = new URL(auth().url);
  const text = await new Promise<string>((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(received).toString('latin1')));
    socket.on('connect', async () => {
      for (const chunk of first) {
        socket.write(chunk);
        await delay(30);
      }
      socket.write(`POST ${refusedPath} HTTP/1.1\r\nHost: localhost\r\n`);
      await delay(30);
      socket.write('Bad Header: 1\r\n\r\n');
    });
  });
  const last = text.slice(text.lastIndexOf('HTTP/1.1 '));
  const [headers = '', body = ''] = last.split('\r\n\r\n');
  expectEnvelope({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), headers: headers.toLowerCase(), body: JSON.parse(body) }, envelope, 400);
});
