import createClient, { type Middleware } from 'openapi-fetch';
import { RequestNotReplayableError } from '../../src/core/errors';
import { createAuthMiddleware, type AuthProvider } from '../../src/core/middleware';
import { ReplayableRequest } from '../../src/core/replay';
import { bearerProvider, startServer } from './http-fixture';

type Json<T> = { content: { 'application/json': T } };
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type Echo = { received: unknown; authorization: string | null };
interface paths {
  '/time': { get: { parameters: NoParams; responses: { 200: Json<number[]> } } };
  '/items': {
    get: { parameters: NoParams; responses: { 200: Json<Echo>; 401: Json<unknown> } };
    post: { parameters: NoParams; requestBody: Json<{ name: string; tags: string[] }>; responses: { 201: Json<Echo>; 401: Json<unknown> } };
  };
  '/upload': { post: { parameters: NoParams; requestBody: Json<unknown>; responses: { 201: Json<Echo>; 401: Json<unknown> } } };
  '/optional': { get: { parameters: NoParams; responses: { 200: Json<Echo> } } };
}

const securitySchemes = { basicAuth: { type: 'http', scheme: 'basic' }, bearerAuth: { type: 'http', scheme: 'bearer' } } as const;
const operationSecurity = {
  'GET /time': [],
  'GET /items': [['bearerAuth']],
  'POST /items': [['basicAuth'], ['bearerAuth']],
  'POST /upload': [['bearerAuth']],
  'GET /optional': [['bearerAuth'], []],
} as const;

let server: Awaited<ReturnType<typeof startServer>>;
let rejectEveryToken = false;
beforeEach(async () => {
  rejectEveryToken = false;
  // The provider's first token is tok-1; the server rejects it (or, when told, every token).
  server = await startServer((authorization) => rejectEveryToken || authorization === `Bearer ${btoa('tok-1')}`);
});
afterEach(() => server.close());

function setup(...before: Middleware[]) {
  const { provider, manager, bearer } = bearerProvider();
  // ReplayableRequest marks stream bodies (createApiClient uses it); a plain Request's stream would be cloned.
  const client = createClient<paths>({ baseUrl: server.baseUrl, Request: ReplayableRequest });
  client.use(...before, createAuthMiddleware({ operationSecurity, securitySchemes, provider }));
  return { client, provider, manager, bearer };
}

describe('auth middleware over real HTTP', () => {
  test('a rejected token is renewed and the POST is retried once with its body intact', async () => {
    const { client, provider, bearer } = setup();
    const body = { name: 'widget ✓', tags: ['a', 'b'] };
    const { data, response } = await client.POST('/items', { body });
    expect(response.status).toBe(201);
    expect(server.seen).toHaveLength(2);
    expect(server.seen.map((s) => s.authorization)).toEqual([bearer('tok-1'), bearer('tok-2')]);
    expect(JSON.parse(server.seen[0]!.body)).toEqual(body);
    expect(JSON.parse(server.seen[1]!.body)).toEqual(body);
    expect(data?.received).toEqual(body);
    expect(provider.calls.renew).toEqual([bearer('tok-1')]);
  });

  test('a bodyless GET is retried once too', async () => {
    const { client, bearer } = setup();
    const { response } = await client.GET('/items');
    expect(response.status).toBe(200);
    expect(server.seen.map((s) => s.authorization)).toEqual([bearer('tok-1'), bearer('tok-2')]);
  });

  test('a security: [] operation gets no Authorization header, even with a warm token', async () => {
    const { client, manager, provider } = setup();
    await manager.getToken();
    const before = provider.calls.authorization.length;
    const { data } = await client.GET('/time');
    expect(Array.isArray(data)).toBe(true);
    expect(server.seen[0]!.authorization).toBeUndefined();
    expect(provider.calls.authorization.length).toBe(before);
  });

  test('never a second retry: when the renewed token is rejected too, the 401 comes back', async () => {
    rejectEveryToken = true;
    const { client, provider } = setup();
    const { error, response } = await client.POST('/items', { body: { name: 'x', tags: [] } });
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ error: { code: 40142 } });
    expect(server.seen).toHaveLength(2);
    expect(provider.calls.renew).toHaveLength(1);
  });

  test('the allowed-scheme list handed to the provider is built once, not per request', async () => {
    rejectEveryToken = true;
    const { client, provider } = setup();
    await client.GET('/optional');
    await client.GET('/optional');
    const [first, second] = provider.calls.authorization;
    expect(first).toEqual(['bearer']);
    expect(second).toBe(first);
  });

  test('an optional operation with no credentials sends no header and is not retried', async () => {
    const provider: AuthProvider = { authorization: () => undefined, isTokenRejection: () => true, renew: jest.fn() };
    const client = createClient<paths>({ baseUrl: server.baseUrl });
    client.use(createAuthMiddleware({ operationSecurity, securitySchemes, provider }));
    await client.GET('/optional');
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]!.authorization).toBeUndefined();
    expect(provider.renew).not.toHaveBeenCalled();
  });

  test('the retry goes through the client’s own fetch', async () => {
    const { provider } = bearerProvider();
    const fetchSpy = jest.fn((input: Request) => globalThis.fetch(input));
    const client = createClient<paths>({ baseUrl: server.baseUrl, fetch: fetchSpy as typeof fetch });
    client.use(createAuthMiddleware({ operationSecurity, securitySchemes, provider }));
    await client.POST('/items', { body: { name: 'n', tags: [] } });
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  test('a stream body is not replayed: the call rejects saying so, and the token is renewed', async () => {
    const { client, bearer } = setup();
    const stream = () =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"chunk":1}'));
          controller.close();
        },
      });
    const failure = await client
      .POST('/upload', { body: {}, bodySerializer: () => stream(), duplex: 'half' } as never)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RequestNotReplayableError);
    expect(failure).toMatchObject({ code: 40140, statusCode: 401 });
    expect((failure as Error).message).toContain('stream');
    expect(Object.keys(failure as object)).not.toContain('response');
    expect(server.seen).toHaveLength(1);
    await client.POST('/upload', { body: {}, bodySerializer: () => stream(), duplex: 'half' } as never);
    expect(server.seen[1]!.authorization).toBe(bearer('tok-2'));
  });
});

describe('placement beside a logging middleware', () => {
  function loggingMiddleware() {
    const seen = { requestAuthorization: [] as (string | null)[], responseStatus: [] as number[] };
    const middleware: Middleware = {
      onRequest({ request }) {
        seen.requestAuthorization.push(request.headers.get('authorization'));
      },
      onResponse({ response }) {
        seen.responseStatus.push(response.status);
      },
    };
    return { middleware, seen };
  }

  test('registered last, auth hides the header from the logger and the logger sees the retried response', async () => {
    const logging = loggingMiddleware();
    const { client } = setup(logging.middleware);
    const { response } = await client.POST('/items', { body: { name: 'logged', tags: [] } });
    expect(response.status).toBe(201);
    expect(logging.seen.requestAuthorization).toEqual([null]);
    expect(logging.seen.responseStatus).toEqual([201]);
  });

  test('registered first, the logger would see the header: that is why auth goes last', async () => {
    const logging = loggingMiddleware();
    const { provider } = bearerProvider();
    const client = createClient<paths>({ baseUrl: server.baseUrl });
    client.use(createAuthMiddleware({ operationSecurity, securitySchemes, provider }), logging.middleware);
    const { response } = await client.GET('/items');
    expect(response.status).toBe(200);
    expect(logging.seen.requestAuthorization[0]).toMatch(/^Bearer /);
    expect(logging.seen.responseStatus).toEqual([401]);
  });

  test('a body request replaced by a later middleware is not retried, and the logger is told why', async () => {
    const warn = jest.fn();
    const { provider } = bearerProvider();
    const replacing: Middleware = { onRequest: ({ request }) => new Request(request) };
    const client = createClient<paths>({ baseUrl: server.baseUrl });
    const logger = { debug: jest.fn(), info: jest.fn(), warn, error: jest.fn() };
    client.use(createAuthMiddleware({ operationSecurity, securitySchemes, provider, logger }), replacing);
    const { response } = await client.POST('/items', { body: { name: 'x', tags: [] } });
    expect(response.status).toBe(401);
    expect(server.seen).toHaveLength(1);
    expect(warn.mock.calls[0]?.[1]).toContain('register auth last');
  });
});
