import { createHmac, randomBytes } from 'node:crypto';
import { decode, encode } from '@msgpack/msgpack';
import { startAuthServer, type AuthServer, type AuthServerOptions, type ServerConfigInput } from '../../tokensmith-server/src/server';

// Real HTTP on 127.0.0.1:0 for every suite (fastify.inject() does not load under jest's CJS transform).

export const FULL_KEY = 'testApp.fullKey:full-key-secret-0123456789abcdef';
export const LIMITED_KEY = 'testApp.limitedKey:limited-key-secret-0123456789abcdef';
export const OTHER_APP_KEY = 'otherApp.key:other-app-secret-0123456789abcdef';
export const METQUAY_CLIENT = { accessKey: 'test-access', secretKey: 'metquay-secret-key-0123456789abcdef' };

export const keyName = (key: string): string => key.split(':')[0] as string;
export const keySecret = (key: string): string => key.split(':')[1] as string;

/** Every secret the suites configure; none may ever come back in a response or a log line. */
export const ALL_SECRETS = [FULL_KEY, LIMITED_KEY, OTHER_APP_KEY].map(keySecret).concat(METQUAY_CLIENT.secretKey);

/** A settable clock standing in for the server's base clock: tests move it instead of sleeping. */
export class TestClock {
  constructor(public ms = Date.UTC(2025, 5, 1, 12, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function testConfig(overrides: ServerConfigInput = {}): ServerConfigInput {
  return {
    ...overrides,
    ably: {
      keys: [
        { key: FULL_KEY, capability: { '*': ['*'] } },
        { key: LIMITED_KEY, capability: { 'allowed:*': ['publish', 'history'], 'read-only': ['history'] } },
        { key: OTHER_APP_KEY },
      ],
      ...overrides.ably,
    },
    metquay: { clients: [METQUAY_CLIENT], ...overrides.metquay },
  };
}

/** What {@link TestServer.call} answers. */
export interface CallResult {
  status: number;
  headers: Headers;
  /** Decoded body: JSON or msgpack per the response content type; text otherwise. */
  body: any;
  raw: Buffer;
}

export interface CallOptions {
  json?: unknown;
  msgpack?: unknown;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

export interface TestServer extends AuthServer {
  clock: TestClock;
  logLines: string[];
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
}

/** Every response body, header block and log line seen by this test file, for the leak check. */
export const seen: string[] = [];
const open: AuthServer[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

afterAll(() => {
  // No configured secret in any body, header or log line of this file's servers.
  for (const text of seen) for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);
});

export async function startTestServer(options: Partial<AuthServerOptions> = {}): Promise<TestServer> {
  const clock = options.clock instanceof TestClock ? options.clock : new TestClock();
  const logLines: string[] = [];
  const record = (level: string) => (message: string, fields?: object) => {
    const line = `${level} ${message} ${JSON.stringify(fields ?? {})}`;
    logLines.push(line);
    seen.push(line);
  };
  const server = await startAuthServer({
    config: testConfig(),
    clock,
    admin: true,
    logger: { info: record('info'), warn: record('warn'), error: record('error') },
    ...options,
  });
  open.push(server);
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Buffer | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    } else if (options.msgpack !== undefined) {
      body = Buffer.from(encode(options.msgpack));
      headers['content-type'] ??= 'application/x-msgpack';
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: toBody(body) }) });
    const raw = Buffer.from(await response.arrayBuffer());
    seen.push(raw.toString('utf8'), headerText(response.headers));
    const type = response.headers.get('content-type') ?? '';
    let decoded: unknown = raw.toString('utf8');
    if (type.startsWith('application/json') && raw.length > 0) decoded = JSON.parse(raw.toString('utf8'));
    if (type.startsWith('application/x-msgpack')) decoded = decode(raw);
    return { status: response.status, headers: response.headers, body: decoded, raw };
  };
  return Object.assign(server, { clock, logLines, call });
}

/**
 * One server for the whole test file (started in beforeAll, closed in afterAll), reset through the
 * test controls and with its clock put back before every test. Call the returned function inside
 * a test to get it.
 */
export function useSuiteServer(options: Partial<AuthServerOptions> = {}): () => TestServer {
  let server: TestServer | undefined;
  let startMs = 0;
  beforeAll(async () => {
    server = await startTestServer(options);
    open.splice(open.indexOf(server), 1);
    startMs = server.clock.ms;
  });
  beforeEach(async () => {
    if (!server) return;
    server.clock.ms = startMs;
    if (options.admin === false) return;
    const response = await server.call('POST', '/_admin/reset');
    if (response.status !== 204) throw new Error(`reset answered ${response.status}`);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('suite server not started');
    return server;
  };
}

/** A request body fetch's types accept. */
export function toBody(body: string | Buffer): string | Uint8Array<ArrayBuffer> {
  return typeof body === 'string' ? body : new Uint8Array(body);
}

/** Every response header as `name: value` lines. */
export function headerText(headers: Headers): string {
  const lines: string[] = [];
  headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  return lines.join('\n');
}

export const basic = (key: string): string => `Basic ${Buffer.from(key).toString('base64')}`;
export const bearer = (token: string): string => `Bearer ${Buffer.from(token).toString('base64')}`;

export interface TokenRequestFields {
  keyName: string;
  ttl?: number;
  capability?: string;
  clientId?: string;
  timestamp: number;
  nonce: string;
}

/** Signs a TokenRequest independently of the library code, straight from the wire definition. */
export function signTokenRequest(key: string, fields: Partial<TokenRequestFields> & { timestamp: number }): TokenRequestFields & { mac: string } {
  const request: TokenRequestFields = { keyName: keyName(key), nonce: randomBytes(12).toString('hex'), ...fields };
  const text = [request.keyName, request.ttl ?? '', request.capability ?? '', request.clientId ?? '', request.timestamp, request.nonce]
    .map((field) => `${field}\n`)
    .join('');
  return { ...request, mac: createHmac('sha256', keySecret(key)).update(text).digest('base64') };
}

/** Exchanges a freshly signed TokenRequest for a token and returns the TokenDetails. */
export async function getToken(server: TestServer, key: string, fields: Partial<TokenRequestFields> = {}): Promise<any> {
  const request = signTokenRequest(key, { timestamp: server.clock.now(), ...fields });
  const response = await server.call('POST', `/keys/${request.keyName}/requestToken`, { json: request });
  if (response.status !== 200) throw new Error(`requestToken answered ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Asserts an Ably error envelope with `code` and `status`. */
export function expectAblyError(response: CallResult, code: number, status: number): void {
  expect({ status: response.status, code: response.body?.error?.code, statusCode: response.body?.error?.statusCode }).toEqual({
    status,
    code,
    statusCode: status,
  });
  expect(typeof response.body.error.message).toBe('string');
  expect(response.body.error.href).toBe(`https://help.ably.io/error/${code}`);
}
