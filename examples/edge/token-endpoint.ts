/**
 * `GET /ably/token` as a Web-standard handler, `(Request) => Promise<Response>`, for runtimes
 * that serve with fetch handlers: a Cloudflare Worker (`../cloudflare-worker/worker.ts`), Deno
 * (`../deno/server.ts`), Bun.serve. It answers the signed-in user with a TokenRequest, signed with
 * Web Crypto; the key never leaves the server.
 */
import { AblyAuth, TokensmithError, type Capability } from '../../src/index'; // in your app: from 'tokensmith' ('npm:tokensmith' in Deno)

/** Options of {@link createTokenEndpoint}. */
export interface TokenEndpointOptions {
  /** The Ably API key, from the platform's secrets. */
  key: string;
  /** Who is asking: your session check. `undefined` refuses with 401. */
  identify: (request: Request) => string | undefined | Promise<string | undefined>;
  /** What a token may do. Default: publish, subscribe and history on `chat:*`. */
  capability?: Capability;
  /** Token lifetime in ms. Default 1 hour. */
  ttl?: number;
}

/** Builds the handler; build it once per isolate and reuse it (the key is imported once). */
export function createTokenEndpoint(options: TokenEndpointOptions): (request: Request) => Promise<Response> {
  const auth = new AblyAuth({ key: options.key });
  const capability = options.capability ?? { 'chat:*': ['publish', 'subscribe', 'history'] };
  const ttl = options.ttl ?? 60 * 60_000;
  return async (request) => {
    if (request.method !== 'GET' || new URL(request.url).pathname !== '/ably/token') return json(404, { error: 'not found' });
    const clientId = await options.identify(request);
    if (clientId === undefined) return json(401, { error: 'sign in first' });
    try {
      return json(200, await auth.createTokenRequest({ clientId, capability, ttl }));
    } catch (error) {
      // TokensmithError messages never hold the key secret; still, keep details in your logs.
      return json(500, { error: 'could not create a token request', code: error instanceof TokensmithError ? error.code : 50000 });
    }
  };
}

/** The demo's identity: an `x-demo-user` header. Replace it with your session check. */
export function demoIdentify(request: Request): string | undefined {
  const user = request.headers.get('x-demo-user');
  return user !== null && /^[\w.-]{1,64}$/.test(user) ? user : undefined;
}

function json(status: number, body: unknown): Response {
  // Tokens and TokenRequests must not be cached by browsers or proxies.
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}
