/**
 * Issue 22 "one error shape": everything that is not an API answer rejects with a TokensmithError,
 * over real sockets, on every auth path; URL options are checked when the object is built; a hung
 * token endpoint fails within `acquireTimeoutMs`; error bodies are read bounded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { AblyAuth, revokeTokens } from '../../src/ably';
import { createAblyClient, createApiClient, createMetquayClient } from '../../src/client';
import { createSpecAuth } from '../../src/core';
import { ResponseTooLargeError, TimeoutError, TokensmithError, TransportError } from '../../src/core/errors';
import { MetquayAuth } from '../../src/metquay';
import { DEFAULT_TOKEN_MANAGER_OPTIONS } from '../../src/core/token-manager';

const KEY = 'app.key:one-shape-secret-value';
let closed: string;

beforeAll(async () => {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

async function rejection(promise: Promise<unknown>): Promise<TokensmithError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(TokensmithError);
  return outcome.error as TokensmithError;
}

/** A network failure: TransportError 80000, no HTTP status, fetch's error as cause, no secret. */
function expectNetworkFailure(error: TokensmithError): void {
  expect(error).toBeInstanceOf(TransportError);
  expect(error.code).toBe(80000);
  expect(error.statusCode).toBe(0);
  expect(error.message).toContain('ECONNREFUSED');
  // fetch's own error (a TypeError from another realm under jest, so checked by name).
  expect((error.cause as Error | undefined)?.name).toBe('TypeError');
  expect(`${error.message}${JSON.stringify(error)}`).not.toContain('one-shape-secret-value');
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const noRetry = { retry: { maxAttempts: 1 } } as const;

describe('a network failure is a TransportError on every auth path', () => {
  test('Ably, key with Basic auth: the API call itself (was a bare TypeError: fetch failed)', async () => {
    const ably = createAblyClient({ key: KEY, baseUrl: closed });
    const error = await rejection(ably.GET('/channels/{channelId}', { params: { path: { channelId: 'c' } } }));
    expectNetworkFailure(error);
    expect(error.message).toContain(`(GET ${closed}/channels/c)`);
  });

  test('Ably, no auth (GET /time on the typed client)', async () => {
    expectNetworkFailure(await rejection(createAblyClient({ key: KEY, baseUrl: closed }).GET('/time')));
  });

  test('Ably, token auth from the key: the token request', async () => {
    const ably = createAblyClient({ key: KEY, baseUrl: closed, useTokenAuth: true });
    const error = await rejection(ably.GET('/channels/{channelId}', { params: { path: { channelId: 'c' } } }));
    expectNetworkFailure(error);
    expect(error.message).toContain('requestToken');
  });

  test('Ably, authCallback: the API call after the callback gave a token', async () => {
    const ably = createAblyClient({ authCallback: async () => 'a-token-string', baseUrl: closed });
    expectNetworkFailure(await rejection(ably.GET('/stats')));
  });

  test('Ably, authCallback giving a TokenRequest: its exchange', async () => {
    const signer = new AblyAuth({ key: KEY, baseUrl: closed });
    const ably = createAblyClient({ authCallback: () => signer.createTokenRequest(), baseUrl: closed });
    expectNetworkFailure(await rejection(ably.GET('/stats')));
  });

  test('Ably, authUrl: the authUrl itself', async () => {
    const ably = createAblyClient({ authUrl: `${closed}/auth?session=s`, baseUrl: closed });
    const error = await rejection(ably.GET('/stats'));
    expectNetworkFailure(error);
    expect(error.message).not.toContain('session=');
  });

  test('Metquay: /authenticate, and an API call with a token already held', async () => {
    const mq = createMetquayClient({ accessKey: 'a', secretKey: 'one-shape-secret-value', baseUrl: `${closed}/api/v1`, ...noRetry });
    expectNetworkFailure(await rejection(mq.GET('/customers')));

    const live = await listen((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ accessToken: 'jwt-ish', tokenType: 'bearer', expiresIn: 900 }));
    });
    try {
      const warm = createMetquayClient({ accessKey: 'a', secretKey: 'one-shape-secret-value', baseUrl: `${live.url}/api/v1`, ...noRetry });
      await warm.auth.getToken();
      await live.close();
      expectNetworkFailure(await rejection(warm.GET('/customers')));
    } finally {
      await live.close().catch(() => undefined);
    }
  });

  test.each([
    ['basic', { basicAuth: { username: 'ada', password: 'one-shape-secret-value' } }, 'GET /basic'],
    ['apiKey in the query', { queryKey: 'one-shape-secret-value' }, 'GET /query'],
  ])('any spec (createSpecAuth, %s): the API call', async (_case, credentials, operation) => {
    const securitySchemes = { basicAuth: { type: 'http', scheme: 'basic' }, queryKey: { type: 'apiKey', in: 'query', name: 'api_key' } } as const;
    const operationSecurity = { 'GET /basic': [{ basicAuth: [] }], 'GET /query': [{ queryKey: [] }] } as const;
    const auth = createSpecAuth({ defaultServerUrl: closed, securitySchemes, operationSecurity }, { credentials: credentials as never, partial: true });
    const api = createApiClient<Record<string, never>>(closed, { middleware: [auth.middleware] });
    const error = await rejection((api as unknown as { GET: (p: string) => Promise<unknown> }).GET(operation.slice(4)));
    expectNetworkFailure(error);
    // The query credential is never quoted: the URL is shown without its query.
    expect(error.message).toContain(`(GET ${closed}${operation.slice(4)})`);
  });

  test('a signal that times out is a TimeoutError 50003, a caller abort stays the caller’s', async () => {
    const hung = await listen(() => undefined);
    try {
      const api = createApiClient<Record<string, never>>(hung.url);
      const timedOut = await rejection((api as unknown as { GET: (p: string, o: object) => Promise<unknown> }).GET('/x', { signal: AbortSignal.timeout(50) }));
      expect(timedOut).toBeInstanceOf(TimeoutError);
      expect(timedOut.code).toBe(50003);
      const controller = new AbortController();
      const call = (api as unknown as { GET: (p: string, o: object) => Promise<unknown> }).GET('/x', { signal: controller.signal });
      controller.abort(new Error('caller gave up'));
      await expect(call).rejects.toThrow('caller gave up');
    } finally {
      await hung.close();
    }
  });
});

describe('URL options are checked when the object is built (40003 naming the option)', () => {
  test.each([
    ['AblyAuth baseUrl', () => new AblyAuth({ key: KEY, baseUrl: 'localhost:8080' }), 'baseUrl'],
    ['createAblyClient baseUrl', () => createAblyClient({ key: KEY, baseUrl: 'localhost:8080' }), 'baseUrl'],
    ['AblyAuth authUrl', () => new AblyAuth({ authUrl: 'localhost:8080/auth' }), 'authUrl'],
    ['AblyAuth authUrl, not a URL', () => new AblyAuth({ authUrl: 'not a url' }), 'authUrl'],
    ['MetquayAuth baseUrl', () => new MetquayAuth({ accessKey: 'a', secretKey: 's', baseUrl: 'localhost:8080/api/v1' }), 'baseUrl'],
    ['createApiClient baseUrl', () => createApiClient('https://example.com', { baseUrl: 'ftp://example.com' }), 'baseUrl'],
  ])('%s', (_case, build, option) => {
    let caught: unknown;
    try {
      build();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TokensmithError);
    expect((caught as TokensmithError).code).toBe(40003);
    expect((caught as Error).message).toContain(`"${option}"`);
    expect((caught as Error).message).not.toContain('localhost:8080/');
  });
});

test('Metquay: a 404 on /authenticate says to check that baseUrl ends in /api/v1', async () => {
  const server = await listen((_req, res) => {
    res.statusCode = 404;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ code: 404, message: 'Not Found' }));
  });
  try {
    const error = await rejection(new MetquayAuth({ accessKey: 'a', secretKey: 's', baseUrl: server.url, ...noRetry }).getToken());
    expect(error.code).toBe(40400);
    expect(error.message).toContain('/api/v1');
    expect(error.message).toContain('baseUrl');
  } finally {
    await server.close();
  }
});

describe('a hung token endpoint fails the call within acquireTimeoutMs', () => {
  test.each([
    ['Ably, key (requestToken hangs)', (url: string) => new AblyAuth({ key: KEY, baseUrl: url, useTokenAuth: true, acquireTimeoutMs: 400 }).authorize()],
    ['Ably, authUrl hangs', (url: string) => new AblyAuth({ authUrl: `${url}/auth`, baseUrl: url, acquireTimeoutMs: 400 }).authorize()],
    ['Metquay (/authenticate hangs)', (url: string) => new MetquayAuth({ accessKey: 'a', secretKey: 's', baseUrl: `${url}/api/v1`, acquireTimeoutMs: 400 }).getToken()],
  ])('%s', async (_case, call) => {
    const hung = await listen(() => undefined);
    try {
      const started = Date.now();
      const error = await rejection(call(hung.url));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error.code).toBe(50003);
      expect(error.message).toContain('acquireTimeoutMs');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await hung.close();
    }
  });

  test('defaults: a key-based AblyAuth against a hung endpoint fails at 30 s (was about 60 s: 3 attempts of 20 s)', async () => {
    expect(DEFAULT_TOKEN_MANAGER_OPTIONS.acquireTimeoutMs).toBe(30_000);
    const hung = await listen(() => undefined);
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      let settled: unknown;
      const call = new AblyAuth({ key: KEY, baseUrl: hung.url, useTokenAuth: true }).authorize().catch((error: unknown) => (settled = error));
      await jest.advanceTimersByTimeAsync(29_900);
      expect(settled).toBeUndefined();
      await jest.advanceTimersByTimeAsync(200);
      await call;
      expect(settled).toBeInstanceOf(TimeoutError);
      expect((settled as Error).message).toContain('30000 ms (acquireTimeoutMs)');
    } finally {
      jest.useRealTimers();
      await hung.close();
    }
  });
});

describe('what is read from the network on an error answer is bounded', () => {
  test('the Ably API client drops an error body over 64 KiB, keeping the status', async () => {
    let finished = false;
    const server = await listen((_req, res) => {
      res.statusCode = 500;
      res.setHeader('content-type', 'application/json');
      const chunk = `"${'x'.repeat(16 * 1024)}",`;
      res.write('[');
      // Up to 16 MiB if read whole; the client cancels after 64 KiB.
      let sent = 0;
      const pump = () => {
        while (sent < 1024 && res.write(chunk)) sent++;
        if (sent < 1024) res.once('drain', pump);
        else res.end('0]', () => (finished = true));
      };
      pump();
    });
    try {
      const ably = createAblyClient({ key: KEY, baseUrl: server.url });
      const { error, response } = await ably.GET('/channels/{channelId}', { params: { path: { channelId: 'c' } } });
      expect(response.status).toBe(500);
      expect(JSON.stringify(error ?? '').length).toBeLessThan(64 * 1024);
      expect(finished).toBe(false);
    } finally {
      await server.close();
    }
  });

  test('revokeTokens reads its answer through the bounded reader', async () => {
    const server = await listen((_req, res) => {
      res.statusCode = 201;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ results: [{ target: 'clientId:a', appliesAt: 1, issuedBefore: 1, pad: 'x'.repeat(100 * 1024) }] }));
    });
    try {
      const auth = new AblyAuth({ key: KEY, baseUrl: server.url });
      const error = await rejection(revokeTokens(auth, [{ type: 'clientId', value: 'a' }]));
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(error.message).toContain('revokeTokens answer');
    } finally {
      await server.close();
    }
  });

  test('revokeTokens to a closed port is a TransportError naming where, its cause kept', async () => {
    const error = await rejection(revokeTokens(new AblyAuth({ key: KEY, baseUrl: closed }), [{ type: 'clientId', value: 'a' }]));
    expectNetworkFailure(error);
    expect(error.message).toContain(`POST ${closed}/keys/app.key/revokeTokens`);
  });
});
