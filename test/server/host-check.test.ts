/**
 * DNS rebinding protection over real sockets: the server answers only requests whose Host is one of
 * its own names (loopback names, IP literals, the host it listens on, the configured allowedHosts)
 * and refuses others with 403 in the envelope of the API the path belongs to.
 */
import { request } from 'node:http';
import { hostname } from 'node:os';
import { ConfigurationError } from 'tokensmith';
import { DEMO_CREDENTIALS, startAuthServer, type AuthServer } from '../../tokensmith-server/src/server';

interface Answer {
  status: number;
  body: unknown;
  errorCode: string | undefined;
}

/** One request with exactly this Host header, over a fresh socket. */
function send(server: AuthServer, method: string, path: string, host: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, headers: { host, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, agent: false },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const header = response.headers['x-ably-errorcode'];
          resolve({ status: response.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text), errorCode: typeof header === 'string' ? header : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const open: AuthServer[] = [];
async function start(options: Parameters<typeof startAuthServer>[0] = {}): Promise<AuthServer> {
  const server = await startAuthServer({ admin: true, ...options });
  open.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

describe('a Host that is not one of the server\'s names', () => {
  test.each([
    ['the test controls', 'GET', '/_admin/requests'],
    ['provisioning an app', 'POST', '/apps'],
    ['the Ably time endpoint', 'GET', '/time'],
  ])('%s: 403 with 40300 in Ably\'s envelope', async (_name, method, path) => {
    const server = await start();
    const answer = await send(server, method, path, 'evil.example', method === 'POST' ? '{}' : undefined);
    expect(answer.status).toBe(403);
    expect(answer.errorCode).toBe('40300');
    expect(answer.body).toEqual({ error: expect.objectContaining({ code: 40300, statusCode: 403, message: expect.stringContaining('--allowed-host') }) });
  });

  test('under /api/v1: 403 in Metquay\'s { code, message }', async () => {
    const server = await start();
    const body = JSON.stringify({ accessKey: DEMO_CREDENTIALS.metquayAccessKey, secretKey: DEMO_CREDENTIALS.metquaySecretKey });
    const answer = await send(server, 'POST', '/api/v1/authenticate', `evil.example:${server.port}`, body);
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ code: 403, message: expect.stringContaining('allowedHosts') });
  });

  test('at the OAuth2 token endpoint: 403 in OAuth2\'s { error, error_description }', async () => {
    const server = await start();
    const answer = await send(server, 'POST', '/oauth2/token', 'evil.example', '{}');
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ error: 'access_denied', error_description: expect.stringContaining('allowedHosts') });
  });

  test('the refusal comes before the CORS preflight', async () => {
    const server = await start();
    const answer = await new Promise<number>((resolve, reject) => {
      request(
        { host: '127.0.0.1', port: server.port, method: 'OPTIONS', path: '/time', agent: false, headers: { host: 'evil.example', origin: 'http://evil.example', 'access-control-request-method': 'GET' } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(answer).toBe(403);
  });
});

describe('the server\'s own names are answered', () => {
  test.each(['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '[::1]', '192.0.2.7', 'localhost.'])('Host: %s', async (name) => {
    const server = await start();
    expect((await send(server, 'GET', '/_admin/requests', `${name}:${server.port}`)).status).toBe(200);
    expect((await send(server, 'GET', '/_admin/requests', name)).status).toBe(200);
  });

  test('configured allowedHosts: exact names, and ".name" for a name and its subdomains', async () => {
    const server = await start({ config: { ably: { keys: [{ key: DEMO_CREDENTIALS.ablyKey }] }, allowedHosts: ['dev.example.test', '.corp.test'] } });
    const status = async (host: string) => (await send(server, 'GET', '/time', host)).status;
    expect(await status('dev.example.test')).toBe(200);
    expect(await status('Dev.Example.Test:8080')).toBe(200);
    expect(await status('corp.test')).toBe(200);
    expect(await status('a.b.corp.test')).toBe(200);
    expect(await status('other.example.test')).toBe(403);
    expect(await status('notcorp.test')).toBe(403);
  });

  test('allowedHosts from the options are added to the config\'s', async () => {
    const server = await start({ config: { allowedHosts: ['one.test'] }, allowedHosts: ['two.test'] });
    expect((await send(server, 'GET', '/time', 'one.test')).status).toBe(200);
    expect((await send(server, 'GET', '/time', 'two.test')).status).toBe(200);
    expect((await send(server, 'GET', '/time', 'three.test')).status).toBe(403);
  });

  test('allowedHosts: true answers any Host', async () => {
    const server = await start({ config: { allowedHosts: true } });
    expect((await send(server, 'GET', '/time', 'evil.example')).status).toBe(200);
  });

  test('the name the server listens on (this machine\'s name), and not when it listens elsewhere', async () => {
    const name = hostname();
    const onName = await start({ host: name });
    expect((await send(onName, 'GET', '/time', `${name}:${onName.port}`)).status).toBe(200);
    const onLoopback = await start();
    expect((await send(onLoopback, 'GET', '/time', `${name}:${onLoopback.port}`)).status).toBe(403);
  });
});

describe('allowedHosts is checked when the server is built', () => {
  test.each([
    [{ config: { allowedHosts: ['http://dev.test'] } }, 'allowedHosts[0]'],
    [{ config: { allowedHosts: ['dev.test:8080'] } }, 'allowedHosts[0]'],
    [{ config: { allowedHosts: 'dev.test' as unknown as string[] } }, 'allowedHosts must be true or an array'],
    [{ allowedHosts: ['ok.test', 'bad/path'] }, 'options.allowedHosts[1]'],
  ])('%j: 40003 naming %s', async (options, named) => {
    const failure = await start(options).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect(failure).toMatchObject({ code: 40003, message: expect.stringContaining(named) });
  });
});
