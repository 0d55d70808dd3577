import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the recording server saw it. */
export interface Recorded {
  method: string;
  /** The path without the query. */
  path: string;
  /** The Authorization header, or null when none was sent. */
  authorization: string | null;
}

/** Token answers the recorder gives to `…/authenticate`, so a Metquay-style auth can log in. */
export const RECORDER_ACCESS_TOKEN = 'recorded-access-token';

/**
 * An HTTP server on 127.0.0.1 that records every request's method, path and Authorization and
 * answers `{}` (or an access token at any path ending in /authenticate), reading at most 64 KiB.
 */
export async function startRecorder(): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 65_536) req.destroy();
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://recorder');
      requests.push({ method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization ?? null });
      const body = url.pathname.endsWith('/authenticate') ? { accessToken: RECORDER_ACCESS_TOKEN, tokenType: 'bearer', expiresIn: 900 } : {};
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
