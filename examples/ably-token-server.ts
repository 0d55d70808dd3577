/**
 * An Ably token endpoint for browsers: your backend holds the API key and answers each signed-in
 * user with a TokenRequest (never the key). The browser's Ably client points `authUrl` here and
 * exchanges the TokenRequest with Ably itself.
 *
 * Run it against the local demo server (the key below is the demo's public one):
 *
 *   npx tokensmith serve --port 8080     # terminal 1 (or: npm run serve)
 *   ABLY_KEY=demoApp.demoKey:demoKeySecret-public-do-not-use-in-production \
 *   ABLY_BASE_URL=http://127.0.0.1:8080 PORT=3001 npx tsx examples/ably-token-server.ts
 *   curl -H 'x-demo-user: alice' http://127.0.0.1:3001/ably/token
 *
 * Env: ABLY_KEY (required), ABLY_BASE_URL (default https://rest.ably.io; used only with
 * queryTime), PORT (default 3001).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AblyAuth, TokensmithError, type Capability } from '../src/index-node'; // in your app: from 'tokensmith' (Node picks this entry)

/** Options of {@link startTokenServer}. */
export interface TokenServerOptions {
  /** The Ably API key; it stays on this server. */
  key: string;
  /** Ably REST endpoint; only read when `queryTime` is on. */
  baseUrl?: string;
  /** Port to listen on; 0 picks a free one. Default 3001. */
  port?: number;
  /**
   * Who is asking. Replace with your session check; `undefined` refuses with 401. The default
   * trusts an `x-demo-user` header, which is only good enough for a demo.
   */
  identify?: (request: IncomingMessage) => string | undefined | Promise<string | undefined>;
  /** What a browser token may do. Default: publish, subscribe and history on `chat:*`. */
  capability?: Capability;
  /** Token lifetime in ms. Default 1 hour. */
  ttl?: number;
}

/** A running token endpoint. */
export interface TokenServer {
  /** The URL to give browsers as `authUrl`. */
  authUrl: string;
  close(): Promise<void>;
}

const demoIdentify = (request: IncomingMessage) => {
  const user = request.headers['x-demo-user'];
  return typeof user === 'string' && /^[\w.-]{1,64}$/.test(user) ? user : undefined;
};

/**
 * The `GET /ably/token` handler alone (anything else is a 404), to mount in a server of your own;
 * `examples/browser/server.ts` serves it beside its page.
 */
export function createTokenHandler(options: TokenServerOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const auth = new AblyAuth({ key: options.key, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
  const identify = options.identify ?? demoIdentify;
  const capability = options.capability ?? { 'chat:*': ['publish', 'subscribe', 'history'] };
  const ttl = options.ttl ?? 60 * 60_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' || url.pathname !== '/ably/token') return send(response, 404, { error: 'not found' });
    const clientId = await identify(request);
    if (clientId === undefined) return send(response, 401, { error: 'sign in first' });
    // The identity comes from the session, never from the query the browser controls.
    const tokenRequest = await auth.createTokenRequest({ clientId, capability, ttl });
    send(response, 200, tokenRequest);
  }

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      // TokensmithError messages never hold the key secret; still, keep details in your logs.
      const code = error instanceof TokensmithError ? error.code : 50000;
      send(response, 500, { error: 'could not create a token request', code });
    });
  };
}

/** Starts `GET /ably/token` on 127.0.0.1, answering a TokenRequest bound to the caller's identity. */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const server = createServer(createTokenHandler(options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3001, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    authUrl: `http://127.0.0.1:${port}/ably/token`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  // Tokens and TokenRequests must not be cached by browsers or proxies.
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

/** Reads the env, starts the endpoint and returns it (it keeps running until closed). */
export async function main(env: Record<string, string | undefined> = process.env, log = console.log): Promise<TokenServer> {
  if (!env.ABLY_KEY) throw new Error('set ABLY_KEY (e.g. the local demo key, see the top of this file)');
  const server = await startTokenServer({
    key: env.ABLY_KEY,
    ...(env.ABLY_BASE_URL ? { baseUrl: env.ABLY_BASE_URL } : {}),
    port: Number(env.PORT ?? 3001),
  });
  log(`token endpoint: ${server.authUrl} (send x-demo-user: <name>)`);
  return server;
}

if (process.argv[1]?.endsWith('ably-token-server.ts')) {
  main().catch((error: unknown) => {
    console.error(`ably-token-server: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
