import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64FromUtf8 } from '../../src/core/base64';
import type { AuthProvider, AuthScheme } from '../../src/core/middleware';
import { TokenManager } from '../../src/core/token-manager';

/** What the test server saw of one request. */
export interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

/** A server on 127.0.0.1:0 that records requests and answers 401 (Ably 40142) when `rejects` says so. */
export async function startServer(rejects: (authorization: string) => boolean) {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const entry = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body };
    seen.push(entry);
    res.setHeader('content-type', 'application/json');
    if (req.url === '/time') return res.end(JSON.stringify([Date.now()]));
    if (entry.authorization !== undefined && rejects(entry.authorization)) {
      res.statusCode = 401;
      return res.end(JSON.stringify({ error: { message: 'token expired', code: 40142, statusCode: 401 } }));
    }
    res.statusCode = req.method === 'POST' ? 201 : 200;
    res.end(JSON.stringify({ received: body ? JSON.parse(body) : null, authorization: entry.authorization ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A bearer provider over a TokenManager, shaped like the real ones: the header string is built
 * once per token, renew invalidates the rejected token (only if current) and fetches.
 */
export function bearerProvider() {
  let issued = 0;
  const manager = new TokenManager({ fetchToken: async () => ({ token: `tok-${++issued}` }) });
  let cached: { token: string; header: string } | undefined;
  const header = (token: string) => {
    if (cached?.token !== token) cached = { token, header: `Bearer ${base64FromUtf8(token)}` };
    return cached.header;
  };
  const provider = {
    calls: { authorization: [] as (readonly AuthScheme[])[], renew: [] as string[] },
    authorization(allowed: readonly AuthScheme[], _optional: boolean) {
      provider.calls.authorization.push(allowed);
      const warm = manager.peek();
      return warm ? header(warm.token) : manager.getToken().then((t) => header(t.token));
    },
    isTokenRejection(response: Response) {
      return response.status === 401;
    },
    async renew(rejected: string) {
      provider.calls.renew.push(rejected);
      const token = atob(rejected.slice('Bearer '.length));
      manager.invalidate(token);
      await manager.getToken();
    },
  } satisfies AuthProvider & { calls: unknown };
  return { provider, manager, bearer: (token: string) => `Bearer ${base64FromUtf8(token)}` };
}
