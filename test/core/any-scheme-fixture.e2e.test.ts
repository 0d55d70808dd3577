/**
 * The any-scheme fixture end to end (issue 20's "Done when"): the security map `tokensmith
 * generate` writes for test/fixtures/specs/any-scheme.yaml, given to `createSpecAuth`, and every
 * operation called through openapi-fetch against a recording server on loopback. Each sends
 * exactly what its requirement asks, where it asks, and nothing for `security: []`; the
 * http-digest-only operation is refused before any network.
 *
 * oauth2 and openIdConnect use tokensmith's own `OAuth2ClientCredentials`: it resolves the relative
 * `tokenUrl` and `openIdConnectUrl` against the server URL and asks the recorder's token endpoints
 * for each operation's scopes.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { createSpecAuth, type SpecSecurityMap } from '../../src/core';
import { OAuth2ClientCredentials } from '../../src/oauth2';
import { createApiClient } from '../../src/core/api-client';
import type { OpenApiDocument } from '../../tokensmith-server/src/generate/document';
import { securityMapOf } from '../../tokensmith-server/src/generate/security-map';

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'specs', 'any-scheme.yaml');
const security = securityMapOf(parse(readFileSync(FIXTURE, 'utf8')) as OpenApiDocument) as unknown as SpecSecurityMap;

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  apiKey: string | undefined;
  cookie: string | undefined;
  body: string;
}

/** Records every request; answers the two token endpoints and the discovery document, `{}` elsewhere. */
async function startRecorder() {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://recorder');
    const header = (name: string) => (req.headers[name] === undefined ? undefined : String(req.headers[name]));
    seen.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: header('authorization'), apiKey: header('x-api-key'), cookie: header('cookie'), body });
    res.setHeader('content-type', 'application/json');
    const scope = new URLSearchParams(body).get('scope');
    if (url.pathname === '/oauth2/token') res.end(JSON.stringify({ access_token: `cc:${scope}`, token_type: 'Bearer', expires_in: 600 }));
    else if (url.pathname === '/oidc/token') res.end(JSON.stringify({ access_token: `oidc:${scope}`, token_type: 'Bearer', expires_in: 600 }));
    else if (url.pathname === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer: origin, token_endpoint: `${origin}/oidc/token` }));
    else res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const BASIC = `Basic ${Buffer.from('billing:s3cret').toString('base64')}`;
/** Every scheme's credential; fresh per call so no token is cached from another test. */
const credentials = () => ({
  bearerAuth: 'user-token',
  basicAuth: { username: 'billing', password: 's3cret' },
  partnerKey: 'partner-key',
  queryKey: 'query-key',
  session: 'session-id',
  depotOAuth: new OAuth2ClientCredentials({ clientId: 'depot-client', clientSecret: 'depot-secret' }),
  oidc: new OAuth2ClientCredentials({ clientId: 'depot-client', clientSecret: 'depot-secret' }),
});

const NOTHING = { authorization: undefined, apiKey: undefined, cookie: undefined, query: {} };
/** What every operation must carry with every scheme configured: its first alternative tokensmith can meet. */
const EXPECTED: Record<string, typeof NOTHING | { authorization?: string; apiKey?: string; cookie?: string; query?: Record<string, string> }> = {
  'GET /health': NOTHING,
  'GET /me': { ...NOTHING, authorization: 'Bearer user-token' },
  'GET /parcels': { ...NOTHING, apiKey: 'partner-key' },
  'POST /parcels': { ...NOTHING, authorization: 'Bearer cc:parcels:write' },
  'GET /parcels/{parcelId}': { ...NOTHING, query: { api_key: 'query-key' } },
  'GET /parcels/{parcelId}/events': { ...NOTHING, authorization: 'Bearer cc:parcels:read' },
  'GET /tracking/{trackingId}': { ...NOTHING, authorization: 'Bearer cc:tracking:read' },
  'POST /labels': { ...NOTHING, apiKey: 'partner-key', authorization: 'Bearer cc:labels:write' },
  'GET /rates': { ...NOTHING, query: { api_key: 'query-key' } },
  'GET /account': { ...NOTHING, cookie: 'depot_session=session-id' },
  'GET /invoices': { ...NOTHING, authorization: BASIC },
  'GET /webhooks': { ...NOTHING, authorization: 'Bearer oidc:webhooks' },
  'GET /legacy/exports': { ...NOTHING, authorization: BASIC },
};

let recorder: Awaited<ReturnType<typeof startRecorder>>;
beforeEach(async () => {
  recorder = await startRecorder();
});
afterEach(() => recorder.close());

/** Calls one operation of the map (`"POST /labels"`) with its path parameters filled in. */
async function call(options: Parameters<typeof createSpecAuth>[1], operation: string) {
  const auth = createSpecAuth(security, { ...options, serverUrl: `${recorder.origin}/v2` });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const client = createApiClient<any>(security.defaultServerUrl!, { baseUrl: `${recorder.origin}/v2`, middleware: [auth.middleware] });
  const [method, template] = operation.split(' ') as ['GET' | 'POST', string];
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const concrete = template.replace(/\{(\w+)\}/g, '$1-1');
  const params = { path: Object.fromEntries(names.map((name) => [name, `${name}-1`])) };
  const result = await client[method](template, method === 'POST' ? { params, body: {} } : { params });
  return { result, concrete };
}

function carried(entry: Seen) {
  return { authorization: entry.authorization, apiKey: entry.apiKey, cookie: entry.cookie, query: entry.query };
}

it('the map covers all 14 operations of the fixture', () => {
  expect(Object.keys(security.operationSecurity).sort()).toEqual([...Object.keys(EXPECTED), 'GET /legacy/reports'].sort());
});

describe('every operation of the any-scheme fixture sends exactly what its requirement asks', () => {
  it.each(Object.entries(EXPECTED))('%s', async (operation, expected) => {
    const { result, concrete } = await call({ credentials: credentials() }, operation);
    expect(result.response.status).toBe(200);
    const calls = recorder.seen.filter((entry) => entry.path.startsWith('/v2/'));
    expect(calls.map((entry) => `${entry.method} ${entry.path}`)).toEqual([`${operation.split(' ')[0]} /v2${concrete}`]);
    expect(carried(calls[0]!)).toEqual(expected);
  });

  it('client credentials: the relative tokenUrl resolved against the server URL, the operation\'s scopes, the client authenticated', async () => {
    await call({ credentials: credentials() }, 'POST /labels');
    const tokenRequests = recorder.seen.filter((entry) => entry.path === '/oauth2/token');
    expect(tokenRequests.map((entry) => ({ method: entry.method, authorization: entry.authorization, form: Object.fromEntries(new URLSearchParams(entry.body)) }))).toEqual([
      { method: 'POST', authorization: `Basic ${Buffer.from('depot-client:depot-secret').toString('base64')}`, form: { grant_type: 'client_credentials', scope: 'labels:write' } },
    ]);
  });

  it('openIdConnect: the relative discovery URL, then its token_endpoint, with the operation\'s scope', async () => {
    await call({ credentials: credentials() }, 'GET /webhooks');
    expect(recorder.seen.filter((entry) => !entry.path.startsWith('/v2/')).map((entry) => `${entry.method} ${entry.path} ${entry.body}`)).toEqual([
      'GET /.well-known/openid-configuration ',
      'POST /oidc/token grant_type=client_credentials&scope=webhooks',
    ]);
  });

  it('GET /legacy/reports (http digest only): a typed 40106 naming operation and scheme, and no request at all', async () => {
    await expect(call({ credentials: credentials() }, 'GET /legacy/reports')).rejects.toMatchObject({ code: 40106, message: expect.stringMatching(/GET \/legacy\/reports.*digestAuth/) });
    expect(recorder.seen).toEqual([]);
  });
});

describe('with only some credentials (partial)', () => {
  const partial = { credentials: { partnerKey: 'partner-key' }, partial: true } as const;

  it('OR: the alternative configured is used (the partner key for parcel events)', async () => {
    await call(partial, 'GET /parcels/{parcelId}/events');
    expect(carried(recorder.seen[0]!)).toEqual({ ...NOTHING, apiKey: 'partner-key' });
  });

  it('{}: without the query key, rates are fetched with no credential at all', async () => {
    await call(partial, 'GET /rates');
    expect(carried(recorder.seen[0]!)).toEqual(NOTHING);
  });

  it('an operation whose scheme has no credential is refused before any network', async () => {
    await expect(call(partial, 'GET /invoices')).rejects.toMatchObject({ code: 40106, message: expect.stringContaining('GET /invoices') });
    expect(recorder.seen).toEqual([]);
  });
});
