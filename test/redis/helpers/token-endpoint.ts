import { createServer, type ServerResponse } from 'node:http';

/**
 * A token endpoint on 127.0.0.1 whose first `hang` requests never answer; the rest get a fresh
 * token: `POST …/authenticate` in Metquay's shape, anything else as `{ token, expiresAt }`, but
 * `/warm-up`, which answers empty and is not counted.
 */
export interface TokenEndpoint {
  url: string;
  /** A Metquay base URL on this endpoint (its `/authenticate` is served). */
  metquayBaseUrl: string;
  /** When each request arrived (ms since the epoch), in order. */
  arrivals: number[];
  /** Resolves when request number `n` (from 1) has arrived. */
  arrived(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the endpoint; it answers `{ token: "token-<n>", expiresAt }` with a lifetime of `lifetimeMs`. */
export async function startTokenEndpoint(options: { hang: number; lifetimeMs?: number }): Promise<TokenEndpoint> {
  const arrivals: number[] = [];
  const hanging: ServerResponse[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server = createServer((request, response) => {
    if (request.url === '/warm-up') {
      response.end();
      return;
    }
    arrivals.push(Date.now());
    const n = arrivals.length;
    for (const waiter of waiters.filter((w) => w.n <= n)) waiter.resolve();
    request.resume();
    if (n <= options.hang) {
      hanging.push(response);
      return;
    }
    const lifetimeMs = options.lifetimeMs ?? 600_000;
    response.setHeader('content-type', 'application/json');
    if (request.method === 'POST' && request.url?.endsWith('/authenticate')) {
      response.end(JSON.stringify({ accessToken: `token-${n}`, tokenType: 'bearer', expiresIn: lifetimeMs / 1000 }));
      return;
    }
    response.end(JSON.stringify({ token: `token-${n}`, expiresAt: Date.now() + lifetimeMs }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/token`,
    metquayBaseUrl: `http://127.0.0.1:${port}/api/v1`,
    arrivals,
    arrived: (n) => (arrivals.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
