/**
 * No public object ever shows a secret. With random key secrets, secret keys, tokens and URL
 * secrets, every public object is built, tokens are fetched, errors are forced on every path
 * (refusals quoting the secret, 5xx quoting the token, answers echoing the request, network
 * failures with a secret in the URL, a throwing authCallback), and every view of each —
 * util.inspect (hidden fields too), console.log's format, JSON.stringify, String(),
 * Object.entries, structuredClone — is scanned for every secret and its base64 forms.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { format, inspect } from 'node:util';
import fc from 'fast-check';
import { AblyAuth } from '../../src/ably';
import { createAblyClient } from '../../src/client';
import { ServerError } from '../../src/core/errors';
import { MemoryTokenStore } from '../../src/core/store';
import { TokenManager } from '../../src/core/token-manager';
import { MetquayAuth } from '../../src/metquay';
import { createMetquayClient } from '../../src/client';
import { OAuth2ClientCredentials, OAuth2RefreshToken } from '../../src/oauth2';
import createClient from 'openapi-fetch';
import { ApiKeyCredential, BasicCredential, BearerCredential, ReplayableRequest, createSpecAuth, type Logger } from '../../src/core';

const specSecurity = {
  securitySchemes: {
    basicAuth: { type: 'http', scheme: 'basic' },
    bearerAuth: { type: 'http', scheme: 'bearer' },
    queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
    headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    cookieKey: { type: 'apiKey', in: 'cookie', name: 'session' },
    digest: { type: 'http', scheme: 'digest' },
  },
  operationSecurity: {
    'GET /spec/query': [{ queryKey: [], bearerAuth: [] }],
    'GET /spec/header': [{ headerKey: [] }],
    'GET /spec/cookie': [{ cookieKey: [] }],
    'GET /spec/basic': [{ basicAuth: [] }],
    'GET /spec/digest': [{ digest: [] }],
  },
} as const;

/** A logger that keeps every line it is given, as text. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const line = (obj: object, msg?: string) => void lines.push(`${inspect(obj, { depth: 10, showHidden: true })} ${msg ?? ''}`);
  return { lines, debug: line, info: line, warn: line, error: line };
}

async function specAuthObjects(): Promise<[string, unknown][]> {
  const objects: [string, unknown][] = [];
  const manager = new TokenManager({ fetchToken: async () => ({ token: run.token, expiresAt: Date.now() + 60_000 }), retry: { maxAttempts: 1 } });
  const credentials = {
    basicAuth: { username: 'user', password: run.password },
    bearerAuth: manager,
    queryKey: run.apiKey,
    headerKey: () => run.apiKey,
    cookieKey: async () => run.apiKey,
  };
  const logger = recordingLogger();
  const auth = createSpecAuth(specSecurity, { credentials, logger });
  objects.push(['createSpecAuth', auth], ['createSpecAuth middleware', auth.middleware]);
  objects.push(['BasicCredential', new BasicCredential({ username: 'user', password: run.password })]);
  objects.push(['BearerCredential (static)', new BearerCredential(run.token)], ['BearerCredential (manager)', new BearerCredential(manager)]);
  objects.push(['ApiKeyCredential', new ApiKeyCredential(run.apiKey)]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const api = createClient<any>({ baseUrl: base, Request: ReplayableRequest });
  api.use(auth.middleware);
  for (const path of ['/spec/query', '/spec/header', '/spec/cookie']) {
    // Each answers 401; the bearer one is renewed and retried, which logs.
    objects.push([`${path} answered`, await caught(api.GET(path, {}).then(({ error }: { error?: unknown }) => Promise.reject(error)))]);
  }
  objects.push(['unsupported scheme refused', await caught(api.GET('/spec/digest', {}))]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const clear = createClient<any>({ baseUrl: 'http://api.example.test' });
  clear.use(auth.middleware);
  objects.push(['Basic over plain http refused', await caught(clear.GET('/spec/basic', {}))]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const unreachable = createClient<any>({ baseUrl: 'http://127.0.0.1:1' });
  unreachable.use(auth.middleware);
  objects.push(['query key to an unreachable host', await caught(unreachable.GET('/spec/query', {}))]);
  const badCookie = `${run.apiKey};${run.apiKey}`;
  objects.push(['cookie key with a ; refused', await caught((async () => createSpecAuth(specSecurity, { credentials: { ...credentials, cookieKey: badCookie } }))())]);
  objects.push(['wrong kind refused', await caught((async () => createSpecAuth(specSecurity, { credentials: { ...credentials, basicAuth: run.password as never } }))())]);
  objects.push(['log lines', logger.lines.join('\n')]);
  return objects;
}

interface Run {
  keySecret: string;
  metquaySecret: string;
  token: string;
  urlSecret: string;
  clientSecret: string;
  refreshToken: string;
  apiKey: string;
  password: string;
}

let run: Run;
let server: Server;
let base: string;

function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function route(req: IncomingMessage, body: string, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://local');
  const mode = url.pathname.split('/')[1];
  const now = Date.now();
  const details = { token: run.token, issued: now, expires: now + 3_600_000, capability: '{"*":["*"]}' };
  if (url.pathname.endsWith('/requestToken')) {
    if (mode === 'refuse') return send(res, 401, { error: { code: 40101, statusCode: 401, message: `bad key ${run.keySecret} ${body}` } });
    if (mode === 'broken') return send(res, 500, { error: { code: 50000, statusCode: 500, message: `cannot issue for ${run.keySecret}` } });
    return send(res, 200, details);
  }
  if (url.pathname.endsWith('/authenticate')) {
    if (mode === 'refuse') return send(res, 401, { code: 401, message: `wrong secret ${run.metquaySecret}` });
    if (mode === 'echo') return send(res, 200, { ...JSON.parse(body), [run.metquaySecret]: true });
    return send(res, 200, { accessToken: run.token, tokenType: 'bearer', expiresIn: 900 });
  }
  if (url.pathname.endsWith('/auth-url')) {
    if (mode === 'broken') return send(res, 503, { error: { code: 50300, message: `down, url ${url.search}` } });
    return send(res, 200, run.token, 'text/plain');
  }
  if (url.pathname.endsWith('/oauth2/token')) {
    // A server may quote anything the request carried: the client secret, the refresh token sent (a refresh grant), the body, the header.
    const refreshing = body.includes('grant_type=refresh_token');
    const quoted = `client secret ${run.clientSecret}, ${refreshing ? `refresh token ${run.refreshToken}, ` : ''}body ${body}, authorization ${req.headers.authorization ?? ''}`;
    if (mode === 'refuse') return send(res, 401, { error: 'invalid_client', error_description: quoted });
    if (mode === 'broken') return send(res, 500, { error: 'server_error', error_description: quoted });
    if (mode === 'echo') return send(res, 200, { access_token: '', token_type: 'Bearer', error_description: quoted });
    return send(res, 200, { access_token: run.token, token_type: 'Bearer', expires_in: 3600, refresh_token: `${run.refreshToken}-next` });
  }
  // An API's own answer is the caller's to print; it quotes nothing here, so any secret found came from tokensmith.
  if (mode === 'spec') return send(res, 401, { message: 'refused' });
  if (url.pathname.endsWith('/customers')) return send(res, 401, { code: 401, message: `expired token ${run.token} for ${run.metquaySecret}` });
  return send(res, 200, []);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => route(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Every way a user might print or copy `value`. */
function views(value: unknown): string[] {
  const out: string[] = [];
  const attempt = (view: () => unknown) => {
    try {
      out.push(String(view()));
    } catch {
      // A view that throws (a class with functions cannot be cloned) shows nothing.
    }
  };
  attempt(() => inspect(value, { depth: 10, showHidden: true }));
  attempt(() => format(value)); // what console.log prints
  attempt(() => format('%o', value));
  attempt(() => JSON.stringify(value));
  attempt(() => String(value));
  attempt(() => inspect(Object.entries(value as object), { depth: 10, showHidden: true }));
  attempt(() => inspect(structuredClone(value), { depth: 10, showHidden: true }));
  return out;
}

function forms(secret: string): string[] {
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  return [secret, base64, base64.replace(/=+$/, '')];
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a failure'),
    (error: unknown) => error,
  );
}

async function publicObjects(): Promise<[string, unknown][]> {
  const key = `app.key:${run.keySecret}`;
  const metquay = { accessKey: 'access', secretKey: run.metquaySecret, retry: { maxAttempts: 1 } };
  const objects: [string, unknown][] = [];

  const ably = createAblyClient({ key, useTokenAuth: true, baseUrl: `${base}/ok` });
  await ably.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'c' } } });
  objects.push(['createAblyClient (token auth, warm)', ably], ['AblyAuth (token auth, warm)', ably.auth]);
  const basic = new AblyAuth({ key, baseUrl: `${base}/ok` });
  objects.push(['AblyAuth (basic)', basic], ['AblyAuth.middleware', basic.middleware]);

  const metquayClient = createMetquayClient({ ...metquay, baseUrl: `${base}/ok/api/v1` });
  await metquayClient.auth.getToken();
  objects.push(['createMetquayClient (warm)', metquayClient], ['MetquayAuth (warm)', metquayClient.auth]);
  objects.push(['MetquayAuth (cold)', new MetquayAuth({ ...metquay, baseUrl: `${base}/ok/api/v1` })]);
  objects.push(['Metquay paginate 401 error', await caught((async () => { for await (const item of metquayClient.paginate('/customers')) void item; })())]);

  const store = new MemoryTokenStore();
  const manager = new TokenManager({
    fetchToken: async () => ({ token: run.token, expiresAt: Date.now() + 60_000 }),
    secrets: [run.keySecret],
    store,
    storeKey: 'tokensmith:v1:hygiene',
  });
  await manager.getToken();
  objects.push(['TokenManager (warm, with secrets and a store)', manager], ['MemoryTokenStore (holding a token)', store]);

  objects.push(['Ably key refused', await caught(new AblyAuth({ key, baseUrl: `${base}/refuse` }).requestToken())]);
  objects.push(['Ably 5xx', await caught(new AblyAuth({ key, baseUrl: `${base}/broken` }).requestToken())]);
  objects.push(['authUrl 503', await caught(new AblyAuth({ authUrl: `${base}/broken/auth-url?s=${run.urlSecret}`, baseUrl: base }).requestToken())]);
  objects.push(['authUrl unreachable', await caught(new AblyAuth({ authUrl: `http://127.0.0.1:1/auth-url?s=${run.urlSecret}`, baseUrl: base }).requestToken())]);
  const throwing = () => Promise.reject(new Error(`callback saw ${run.keySecret}`));
  objects.push(['authCallback throws', await caught(new AblyAuth({ key, authCallback: throwing, baseUrl: base }).requestToken())]);
  let renewals = 0;
  const renewing = new TokenManager({
    fetchToken: async () => {
      renewals += 1;
      if (renewals === 1) return { token: run.token, expiresAt: Date.now() + 60_000 };
      throw new ServerError(50000, `renewal failed; still holding ${run.token}`);
    },
    retry: { maxAttempts: 1 },
  });
  await renewing.getToken();
  objects.push(['TokenManager renewal failing with a message quoting its token', await caught(renewing.getToken({ force: true }))]);
  const oauth = (mode: string) => ({ clientId: 'reports', clientSecret: run.clientSecret, tokenUrl: `${base}/${mode}/oauth2/token`, tokenManager: { retry: { maxAttempts: 1 } } });
  const warmOAuth = new OAuth2ClientCredentials(oauth('ok'));
  await warmOAuth.getToken(['read']);
  objects.push(['OAuth2ClientCredentials (warm)', warmOAuth], ['OAuth2ClientCredentials (cold)', new OAuth2ClientCredentials(oauth('ok'))]);
  const refresh = (mode: string) => ({ ...oauth(mode), refreshToken: run.refreshToken, authMethod: 'client_secret_post' as const });
  const warmRefresh = new OAuth2RefreshToken(refresh('ok'));
  await warmRefresh.getToken();
  objects.push(['OAuth2RefreshToken (warm, rotated)', warmRefresh], ['OAuth2RefreshToken (cold)', new OAuth2RefreshToken(refresh('ok'))]);
  for (const mode of ['refuse', 'broken', 'echo']) {
    objects.push([`OAuth2 client credentials ${mode}`, await caught(new OAuth2ClientCredentials(oauth(mode)).getToken())]);
    objects.push([`OAuth2 refresh token ${mode}`, await caught(new OAuth2RefreshToken(refresh(mode)).getToken())]);
  }
  objects.push(['OAuth2 token endpoint unreachable', await caught(new OAuth2ClientCredentials({ ...oauth('ok'), tokenUrl: `http://127.0.0.1:1/oauth2/token?s=${run.urlSecret}` }).getToken())]);
  objects.push(['Metquay refused', await caught(new MetquayAuth({ ...metquay, baseUrl: `${base}/refuse/api/v1` }).getToken())]);
  objects.push(['Metquay 200 echoing the request', await caught(new MetquayAuth({ ...metquay, baseUrl: `${base}/echo/api/v1` }).getToken())]);
  objects.push(...(await specAuthObjects()));
  return objects;
}

const secret = fc.stringMatching(/^[A-Za-z0-9+/_-]{12,40}$/);

test('property: no view of any public object shows a secret or a token', async () => {
  await fc.assert(
    fc.asyncProperty(fc.record({ keySecret: secret, metquaySecret: secret, token: secret, urlSecret: secret, clientSecret: secret, refreshToken: secret, apiKey: secret, password: secret }), async (secrets) => {
      run = secrets;
      const objects = await publicObjects();
      for (const [name, value] of objects) {
        for (const view of views(value)) {
          for (const [which, text] of Object.entries(secrets)) {
            for (const form of forms(text)) {
              if (view.includes(form)) throw new Error(`${name} shows the ${which} (${form === text ? 'as is' : 'base64'}):\n${view.slice(0, 2_000)}`);
            }
          }
        }
      }
    }),
    { numRuns: 15 },
  );
}, 120_000);
