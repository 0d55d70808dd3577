import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A server in its own process, so load generators in the bench process do not share its event
 * loop: `tokensmith` (the local auth server, demo config), `bare` (node:http answering a fixed
 * JSON body) or `fastify` (a bare Fastify route answering the same). Tells its parent `{ type: 'ready', url }`; answers `rss` with its memory; exits on
 * `close`. Forked by ./server-process.ts.
 */

/** A fixed TokenDetails-shaped body, about as long as the local server's answer. */
export const BARE_BODY = JSON.stringify({
  token: 'bare.0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  keyName: 'demoApp.demoKey',
  issued: 1_700_000_000_000,
  expires: 1_700_003_600_000,
  capability: '{"*":["*"]}',
  clientId: 'bench-client',
});

async function startBare(): Promise<{ url: string }> {
  const body = Buffer.from(BARE_BODY);
  const server = createServer((request, response) => {
    // Read the request body like a real handler must, then answer the same bytes every time.
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Fastify with nothing of tokensmith: the same route parses the JSON body and answers the bare
 * server's fixed bytes. Shows how much of the local server's cost is the framework's.
 */
async function startFastify(): Promise<{ url: string }> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  const body = Buffer.from(BARE_BODY);
  app.post('/keys/:keyName/requestToken', async (_request, reply) => reply.header('content-type', 'application/json').send(body));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${address.port}` };
}

async function startTokensmith(): Promise<{ url: string }> {
  const { startAuthServer } = await import('../../tokensmith-server/src/server');
  const config = process.env.BENCH_SERVER_CONFIG ? JSON.parse(process.env.BENCH_SERVER_CONFIG) : undefined;
  const server = await startAuthServer({ host: '127.0.0.1', port: 0, ...(config ? { config } : {}) });
  return { url: server.url };
}

/**
 * `tokensmith serve --spec` on the pymetquay-like fixture, with one configured bearer token
 * (BENCH_SPEC_TOKEN) carrying every scope the bench's requests need, and an OAuth2 client
 * (`bench` / `bench-secret-0123456789abcdef`) whose issued JWTs carry the same scope.
 */
async function startSpec(): Promise<{ url: string }> {
  const { startSpecServer } = await import('../../tokensmith-server/src/server/spec/start');
  const spec = fileURLToPath(new URL('../../test/fixtures/specs/pymetquay-like.yaml', import.meta.url));
  const token = process.env.BENCH_SPEC_TOKEN ?? 'bench-token';
  const oauth2 = { clients: [{ clientId: 'bench', clientSecret: 'bench-secret-0123456789abcdef', scopes: ['customers:read'] }] };
  const server = await startSpecServer({ specs: [spec], config: { tokens: [{ token, scopes: ['customers:read'] }], oauth2 } });
  return { url: server.url };
}

const kind = process.argv[2];
const { url } = kind === 'bare' ? await startBare() : kind === 'fastify' ? await startFastify() : kind === 'spec' ? await startSpec() : await startTokensmith();
process.on('message', (message: { type: string }) => {
  if (message.type === 'rss') {
    // Two full GCs a moment apart, so pages V8 has freed are given back before RSS is read.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    setTimeout(() => {
      gc?.();
      const memory = process.memoryUsage();
      process.send!({ type: 'rss', rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers });
    }, 200);
  } else if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ type: 'cpu', micros: user + system });
  } else if (message.type === 'close') {
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ type: 'ready', url });
