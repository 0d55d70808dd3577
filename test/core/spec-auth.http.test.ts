/**
 * The spec-auth engine over real HTTP: every scheme kind sends exactly what it should where it
 * should; AND / OR / `{}` / `[]`; nothing the operation does not list is sent; an unsupported or
 * unconfigured requirement is a typed error before the network; the legacy map shape works.
 */
import createClient from 'openapi-fetch';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSpecAuth, ReplayableRequest, TokenManager, type SchemeProvider, type SpecCredentials } from '../../src/core';
import { AblyAuth } from '../../src/ably';

interface Seen {
  method: string;
  path: string;
  query: Record<string, string[]>;
  authorization: string | undefined;
  apiKeyHeader: string | undefined;
  cookie: string | undefined;
  body: string;
}

/** A node:http server on loopback that records every request's credential carriers, and answers 401 to `Bearer rejected`. */
async function startRecorder() {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://recorder');
    const query: Record<string, string[]> = {};
    for (const name of new Set(url.searchParams.keys())) query[name] = url.searchParams.getAll(name);
    const header = (name: string) => (req.headers[name] === undefined ? undefined : String(req.headers[name]));
    seen.push({ method: req.method ?? '', path: url.pathname, query, authorization: header('authorization'), apiKeyHeader: header('x-api-key'), cookie: header('cookie'), body });
    res.setHeader('content-type', 'application/json');
    res.statusCode = req.headers.authorization === 'Bearer rejected' ? 401 : 200;
    res.end(JSON.stringify({ ok: res.statusCode === 200 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const securitySchemes = {
  basicAuth: { type: 'http', scheme: 'basic' },
  bearerAuth: { type: 'http', scheme: 'bearer' },
  headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
  queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
  cookieKey: { type: 'apiKey', in: 'cookie', name: 'session' },
  digestAuth: { type: 'http', scheme: 'digest' },
} as const;

const operationSecurity = {
  'GET /open': [],
  'GET /basic': [{ basicAuth: [] }],
  'GET /bearer': [{ bearerAuth: [] }],
  'POST /bearer': [{ bearerAuth: [] }],
  'GET /header-key': [{ headerKey: [] }],
  'GET /query-key': [{ queryKey: [] }],
  'GET /cookie-key': [{ cookieKey: [] }],
  'GET /and': [{ bearerAuth: [], queryKey: [], cookieKey: [] }],
  'POST /upload': [{ queryKey: [], bearerAuth: [] }],
  'GET /or': [{ digestAuth: [] }, { queryKey: [] }, { bearerAuth: [] }],
  'GET /optional': [{ headerKey: [] }, {}],
  'GET /digest': [{ digestAuth: [] }],
} as const;

const security = { defaultServerUrl: 'https://api.example.test', securitySchemes, operationSecurity } as const;

const USER = { username: 'ada', password: 'p4ss-wörd' };
const BASIC = `Basic ${Buffer.from('ada:p4ss-wörd').toString('base64')}`;
const credentials = {
  basicAuth: USER,
  bearerAuth: 'static-token',
  headerKey: 'header-key-value',
  queryKey: 'query-key-value',
  cookieKey: 'cookie-key-value',
} satisfies SpecCredentials<typeof securitySchemes>;

let server: Awaited<ReturnType<typeof startRecorder>>;
beforeEach(async () => {
  server = await startRecorder();
});
afterEach(() => server.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function client(middleware = createSpecAuth(security, { credentials }).middleware, headers?: Record<string, string>): any {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const api = createClient<any>({ baseUrl: server.baseUrl, Request: ReplayableRequest, ...(headers ? { headers } : {}) });
  api.use(middleware);
  return api;
}

/** Every place a credential could travel, as the server saw it. */
function carried(entry: Seen) {
  return { authorization: entry.authorization, apiKeyHeader: entry.apiKeyHeader, cookie: entry.cookie, query: entry.query };
}
const NOTHING = { authorization: undefined, apiKeyHeader: undefined, cookie: undefined, query: {} };

describe('each scheme kind sends exactly what it should, where it should, and nothing else', () => {
  test.each([
    ['GET /open (security: [])', '/open', NOTHING],
    ['http basic', '/basic', { ...NOTHING, authorization: BASIC }],
    ['http bearer', '/bearer', { ...NOTHING, authorization: 'Bearer static-token' }],
    ['apiKey in a header', '/header-key', { ...NOTHING, apiKeyHeader: 'header-key-value' }],
    ['apiKey in the query', '/query-key', { ...NOTHING, query: { api_key: ['query-key-value'] } }],
    ['apiKey in a cookie', '/cookie-key', { ...NOTHING, cookie: 'session=cookie-key-value' }],
    ['AND: every scheme of the requirement', '/and', { authorization: 'Bearer static-token', apiKeyHeader: undefined, cookie: 'session=cookie-key-value', query: { api_key: ['query-key-value'] } }],
    ['OR: the first alternative in spec order that tokensmith can meet (digest skipped, query before bearer)', '/or', { ...NOTHING, query: { api_key: ['query-key-value'] } }],
    ['{} alternative with its credential configured: sent', '/optional', { ...NOTHING, apiKeyHeader: 'header-key-value' }],
  ])('%s', async (_name, path, expected) => {
    const { response } = await client().GET(path);
    expect(response.status).toBe(200);
    expect(server.seen).toHaveLength(1);
    expect(carried(server.seen[0]!)).toEqual(expected);
  });

  test('a query key keeps the query the caller sent', async () => {
    await client().GET('/query-key', { params: { query: { page: 2 } } });
    expect(server.seen[0]!.query).toEqual({ page: ['2'], api_key: ['query-key-value'] });
  });

  test('a cookie key is appended to a Cookie header already set, in one header', async () => {
    await client(undefined, { cookie: 'theme=dark; lang=en' }).GET('/cookie-key');
    expect(server.seen[0]!.cookie).toBe('theme=dark; lang=en; session=cookie-key-value');
  });

  test('a cookie of the same name already set is replaced, not sent twice', async () => {
    await client(undefined, { cookie: 'session=stale; lang=en' }).GET('/cookie-key');
    expect(server.seen[0]!.cookie).toBe('lang=en; session=cookie-key-value');
  });

  test('{} alternative without its credential: nothing is sent', async () => {
    const { headerKey: _left, ...rest } = credentials;
    const auth = createSpecAuth(security, { credentials: rest, partial: true });
    const { response } = await client(auth.middleware).GET('/optional');
    expect(response.status).toBe(200);
    expect(carried(server.seen[0]!)).toEqual(NOTHING);
  });

  test('OR falls through to the next configured alternative when the first is not configured', async () => {
    const { queryKey: _left, ...rest } = credentials;
    const auth = createSpecAuth(security, { credentials: rest, partial: true });
    await client(auth.middleware).GET('/or');
    expect(carried(server.seen[0]!)).toEqual({ ...NOTHING, authorization: 'Bearer static-token' });
  });
});

describe('refused before the network', () => {
  test('an operation only an unsupported scheme can call: 40106 naming operation and scheme, nothing sent', async () => {
    await expect(client().GET('/digest')).rejects.toMatchObject({
      name: 'ConfigurationError',
      code: 40106,
      message: expect.stringMatching(/GET \/digest.*"digestAuth".*digest/),
    });
    expect(server.seen).toEqual([]);
  });

  test('partial: an operation whose scheme has no credential is refused when called (40106)', async () => {
    const auth = createSpecAuth(security, { credentials: { bearerAuth: 'static-token' }, partial: true });
    await expect(client(auth.middleware).GET('/header-key')).rejects.toMatchObject({ code: 40106, message: expect.stringContaining('"headerKey"') });
    expect(server.seen).toEqual([]);
  });

  test('an operation missing from the map is refused (40106), not sent with a guess', async () => {
    await expect(client().GET('/not-in-the-map')).rejects.toMatchObject({ code: 40106, message: expect.stringContaining('GET /not-in-the-map') });
    expect(server.seen).toEqual([]);
  });

  // The whole message, so the refusal rules living apart from the plans (refuse.ts) cannot drift.
  const unavailable: SchemeProvider<'bearer'> = { kinds: { bearer: true }, available: () => false, apply() {} };
  test.each([
    ['an unsupported scheme', { credentials }, '/digest', 'cannot authenticate GET /digest: scheme "digestAuth": http scheme "digest" is not supported (only basic and bearer)'],
    ['a scheme with no credential (partial)', { credentials: { bearerAuth: 'static-token' }, partial: true }, '/header-key', 'cannot authenticate GET /header-key: scheme "headerKey": no credential is configured for it'],
    ['an operation missing from the map', { credentials }, '/not-in-the-map', 'cannot authenticate GET /not-in-the-map: scheme "(none)": the operation is missing from operationSecurity; regenerate the security map'],
    ['a provider not available now', { credentials: { bearerAuth: unavailable }, partial: true }, '/bearer', 'cannot authenticate GET /bearer: scheme "bearerAuth": no configured credential is available now'],
  ])('40106 for %s says which scheme and why', async (_name, options, path, message) => {
    const auth = createSpecAuth(security, options as never);
    await expect(client(auth.middleware).GET(path)).rejects.toMatchObject({ name: 'ConfigurationError', code: 40106, message });
    expect(server.seen).toEqual([]);
  });

  test('Basic over plain http to a non-loopback host: 40103, nothing sent', async () => {
    const sent: string[] = [];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const api = createClient<any>({ baseUrl: 'http://api.example.test', fetch: async (request: Request) => (sent.push(request.url), new Response('{}')) });
    api.use(createSpecAuth(security, { credentials }).middleware);
    await expect(api.GET('/basic', {})).rejects.toMatchObject({ code: 40103 });
    expect(sent).toEqual([]);
  });
});

describe('construction', () => {
  test.each([
    ['a name the map does not declare', { bearerAuht: 'x' }, 40003, '"bearerAuht"'],
    ['a credential of the wrong kind', { basicAuth: 'just-a-string' }, 40003, '"basicAuth"'],
    ['a provider of the wrong kind', { headerKey: { kinds: { oauth2: true }, apply() {} } }, 40003, '"headerKey"'],
    ['undefined (an unset environment variable)', { headerKey: undefined }, 40106, '"headerKey"'],
  ])('refuses %s, naming the scheme', (_name, given, code, named) => {
    const run = () => createSpecAuth(security, { credentials: { ...credentials, ...(given as object) } as never });
    expect(run).toThrow(expect.objectContaining({ code, message: expect.stringContaining(named) }));
  });

  test('a provider of the wrong kind: 40003 saying what it serves', () => {
    const run = () => createSpecAuth(security, { credentials: { ...credentials, headerKey: { kinds: { oauth2: true }, apply() {} } } as never });
    expect(run).toThrow(expect.objectContaining({ code: 40003, message: 'the credential for scheme "headerKey" serves oauth2, not apiKey' }));
  });

  test('an operation none of whose alternatives is configured: 40003 naming operation and scheme', () => {
    const { cookieKey: _left, ...rest } = credentials;
    // TypeScript already refuses this (the map is literal); construction refuses it for maps it cannot read.
    // @ts-expect-error credentials.cookieKey is missing
    expect(() => createSpecAuth(security, { credentials: rest })).toThrow(
      expect.objectContaining({ code: 40003, message: expect.stringMatching(/GET \/cookie-key needs scheme "cookieKey"/) }),
    );
  });

  test('printing the auth shows scheme names, never a credential', () => {
    const auth = createSpecAuth(security, { credentials });
    expect(JSON.stringify(auth)).toBe(JSON.stringify({ schemes: Object.keys(credentials) }));
  });
});

describe('the legacy map shape ([["scheme"], []])', () => {
  const legacy = {
    securitySchemes,
    operationSecurity: {
      'GET /open': [],
      'GET /basic': [['basicAuth']],
      'GET /and': [['bearerAuth', 'headerKey']],
      'GET /optional': [['headerKey'], []],
      'GET /or': [['digestAuth'], ['bearerAuth']],
    },
  } as const;

  test.each([
    ['/open', NOTHING],
    ['/basic', { ...NOTHING, authorization: BASIC }],
    ['/and', { ...NOTHING, authorization: 'Bearer static-token', apiKeyHeader: 'header-key-value' }],
    ['/optional', { ...NOTHING, apiKeyHeader: 'header-key-value' }],
    ['/or', { ...NOTHING, authorization: 'Bearer static-token' }],
  ])('GET %s', async (path, expected) => {
    await client(createSpecAuth(legacy, { credentials }).middleware).GET(path);
    expect(carried(server.seen[0]!)).toEqual(expected);
  });
});

describe('token renewal', () => {
  function manager() {
    const issued: string[] = [];
    const tokens = new TokenManager({
      fetchToken: async () => {
        const token = issued.length === 0 ? 'rejected' : `fresh-${issued.length}`;
        issued.push(token);
        return { token, expiresAt: Date.now() + 600_000 };
      },
    });
    return { tokens, issued };
  }

  test('a TokenManager bearer: a 401 renews once and retries the POST once, body intact', async () => {
    const { tokens, issued } = manager();
    const auth = createSpecAuth(security, { credentials: { ...credentials, bearerAuth: tokens } });
    const body = { name: 'widget ✓', tags: ['a'] };
    const { response } = await client(auth.middleware).POST('/bearer', { body });
    expect(response.status).toBe(200);
    expect(issued).toEqual(['rejected', 'fresh-1']);
    expect(server.seen.map((s) => [s.authorization, JSON.parse(s.body)])).toEqual([
      ['Bearer rejected', body],
      ['Bearer fresh-1', body],
    ]);
  });

  test('AND with a query and a cookie key: the retry re-applies every scheme once, nothing doubled', async () => {
    const { tokens } = manager();
    const auth = createSpecAuth(security, { credentials: { ...credentials, bearerAuth: tokens } });
    await client(auth.middleware, { cookie: 'lang=en' }).GET('/and', { params: { query: { page: 1 } } });
    expect(server.seen.map(carried)).toEqual([
      { authorization: 'Bearer rejected', apiKeyHeader: undefined, cookie: 'lang=en; session=cookie-key-value', query: { page: ['1'], api_key: ['query-key-value'] } },
      { authorization: 'Bearer fresh-1', apiKeyHeader: undefined, cookie: 'lang=en; session=cookie-key-value', query: { page: ['1'], api_key: ['query-key-value'] } },
    ]);
  });

  test('a stream body under a query key keeps its mark: a rejection is RequestNotReplayableError, sent once', async () => {
    const { tokens } = manager();
    const auth = createSpecAuth(security, { credentials: { ...credentials, bearerAuth: tokens } });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"streamed":true}'));
        controller.close();
      },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const api: any = createClient<any>({ baseUrl: server.baseUrl, Request: ReplayableRequest });
    api.use(auth.middleware);
    await expect(api.POST('/upload', { body: {}, bodySerializer: () => stream, duplex: 'half' })).rejects.toMatchObject({ name: 'RequestNotReplayableError' });
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]!.query).toEqual({ api_key: ['query-key-value'] });
  });

  test('a static token is never retried: the 401 is the answer', async () => {
    const auth = createSpecAuth(security, { credentials: { ...credentials, bearerAuth: 'rejected' } });
    const { response } = await client(auth.middleware).GET('/bearer');
    expect(response.status).toBe(401);
    expect(server.seen).toHaveLength(1);
  });

  test('a provider of its own (the contract helpers build on) is applied, asked, renewed and retried once', async () => {
    const calls: string[] = [];
    let current = 'rejected';
    const custom: SchemeProvider<'bearer'> = {
      kinds: { bearer: true },
      prepare: (use) => void calls.push(`prepare ${use.operation} ${use.schemeName} ${use.serverUrl}`),
      apply: (request) => void request.headers.set('Authorization', `Bearer ${current}`),
      isRejection: (response) => response.status === 401,
      renew: async (use, sent) => {
        calls.push(`renew ${use.operation} ${sent.headers.get('authorization')}`);
        current = 'fresh';
      },
    };
    const auth = createSpecAuth(security, { credentials: { ...credentials, bearerAuth: custom } });
    await client(auth.middleware).GET('/bearer');
    expect(server.seen.map((s) => s.authorization)).toEqual(['Bearer rejected', 'Bearer fresh']);
    expect(calls).toContain('prepare GET /bearer bearerAuth https://api.example.test');
    expect(calls.filter((c) => c.startsWith('renew'))).toEqual(['renew GET /bearer Bearer rejected']);
  });
});

describe('AblyAuth.middlewareFor on the engine, as before', () => {
  test('a Basic-auth AblyAuth sends the key on basic operations, nothing it was not asked for, and a bearer-only operation without credentials', async () => {
    const auth = new AblyAuth({ key: 'app.key:secret' });
    await client(auth.middlewareFor(security)).GET('/basic');
    await client(auth.middlewareFor(security)).GET('/header-key');
    await client(auth.middlewareFor(security)).GET('/bearer');
    expect(server.seen.map(carried)).toEqual([
      { ...NOTHING, authorization: `Basic ${Buffer.from('app.key:secret').toString('base64')}` },
      NOTHING,
      NOTHING,
    ]);
  });
});
