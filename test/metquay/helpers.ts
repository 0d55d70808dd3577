import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SystemClock } from '../../src/core/clock';

/** A client clock the test moves by hand (the token manager measures lifetimes on it). */
export function manualClock(startMs = Date.UTC(2025, 0, 1, 12, 0, 0)) {
  let now = startMs;
  const clock = new SystemClock(() => now);
  return { clock, advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
}

/** What a handler server saw of one request. */
export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

/** A tiny node:http server whose answers a test scripts, for responses the real server never sends. */
export interface ScriptedServer {
  /** Base URL ending in /api/v1. */
  baseUrl: string;
  seen: SeenRequest[];
  count(method: string, path: string): number;
  close(): Promise<void>;
}

export type Reply = { status: number; headers?: Record<string, string>; body?: string };

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

export async function startScriptedServer(answer: (request: SeenRequest, index: number) => Reply): Promise<ScriptedServer> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: SeenRequest = {
        method: req.method ?? '',
        path: (req.url ?? '').replace(/^\/api\/v1/, '').split('?')[0] ?? '',
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      const reply = answer(request, seen.filter((r) => r.path === request.path).length - 1);
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scripted: ScriptedServer = {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    seen,
    count: (method, path) => seen.filter((r) => r.method === method && r.path === path).length,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  servers.push(scripted);
  return scripted;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** An unsigned JWT-shaped token with the given claims (the client never verifies signatures). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}
