import Fastify, { type FastifyInstance } from 'fastify';
import { metquayPlugin, type MetquayPluginOptions, MetquayServerState } from '../../../tokensmith-server/src/server/metquay';

// fastify.inject() cannot load under jest's CommonJS transform (light-my-request needs the
// ESM-only `cookie` package), so these tests talk real HTTP to 127.0.0.1.

export const CLIENT = { accessKey: 'test-access-key', secretKey: 'test-secret-key-0123456789' };
export const OTHER_CLIENT = { accessKey: 'other-access-key', secretKey: 'other-secret-key-abcdef' };

/** A settable clock standing in for the server's. */
export class TestClock {
  constructor(public ms = Date.UTC(2025, 0, 1, 12, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** What {@link TestServer.call} answers. */
export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json<T = any>(): T;
}

/** Request options: `json` is serialised; `body` is sent as is. */
export interface CallOptions {
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

export interface TestServer {
  app: FastifyInstance;
  clock: TestClock;
  state: MetquayServerState;
  url: string;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** Requests the server received for `METHOD /path` (query string ignored). */
  hits(route: string): number;
  authenticate(credentials?: { accessKey: string; secretKey: string }): Promise<string>;
}

const open: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

/** A bare Fastify instance with only the Metquay plugin under /api/v1, listening on 127.0.0.1:0. */
export async function startTestServer(options: Partial<MetquayPluginOptions> = {}): Promise<TestServer> {
  const clock = new TestClock();
  const state = new MetquayServerState({ clients: [CLIENT, OTHER_CLIENT], ...options.config }, options.clock ?? clock);
  // trustProxy lets a test pose as another IP address with X-Forwarded-For.
  const app = Fastify({ logger: false, trustProxy: true });
  const counts = new Map<string, number>();
  app.addHook('onRequest', async (request) => {
    const route = `${request.method} ${request.url.split('?')[0]}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
  });
  await app.register(metquayPlugin, { prefix: '/api/v1', admin: true, ...options, state });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  open.push(app);
  const call = async (method: string, path: string, { json, body, headers = {} }: CallOptions = {}): Promise<CallResult> => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (json !== undefined) {
      init.body = JSON.stringify(json);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    } else if (body !== undefined) {
      init.body = body;
    }
    const response = await fetch(`${url}${path}`, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  };
  const authenticate = async (credentials = CLIENT): Promise<string> => {
    const response = await call('POST', '/api/v1/authenticate', { json: credentials });
    if (response.status !== 200) throw new Error(`authenticate answered ${response.status}`);
    return response.json().accessToken;
  };
  return { app, clock, state, url, call, authenticate, hits: (route) => counts.get(route) ?? 0 };
}
