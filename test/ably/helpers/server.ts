import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminClient, DEMO_CREDENTIALS, startAuthServer, type AdminClient, type AuthServer } from '../../../tokensmith-server/src/server';

export { DEMO_CREDENTIALS };

/** The local auth server with its test controls, started for one test file. */
export async function startLocalAbly(): Promise<{ server: AuthServer; admin: AdminClient; url: string }> {
  const server = await startAuthServer({ admin: true });
  return { server, admin: adminClient(server.url), url: server.url };
}

/** What an authUrl handler saw. */
export interface AuthUrlHit {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A small node:http server standing in for a customer's authUrl endpoint on 127.0.0.1. `handle`
 * answers each request (status, content type, body).
 */
export async function startAuthUrlServer(
  handle: (hit: AuthUrlHit) => Promise<{ status?: number; contentType?: string; body: string }> | { status?: number; contentType?: string; body: string },
): Promise<{ url: string; hits: AuthUrlHit[]; close(): Promise<void> }> {
  const hits: AuthUrlHit[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const hit = { method: req.method ?? 'GET', url: new URL(req.url ?? '/', 'http://127.0.0.1'), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      hits.push(hit);
      Promise.resolve(handle(hit)).then(
        (answer) => {
          res.writeHead(answer.status ?? 200, answer.contentType ? { 'content-type': answer.contentType } : {});
          res.end(answer.body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
