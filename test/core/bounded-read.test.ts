/**
 * Every token-endpoint read is bounded: a local endpoint streams 1 GiB chunked (200 or 500) and
 * each client path fails quickly with a typed error naming the limit (or, for an error answer, the
 * condition's error saying the body was not read), having downloaded only a sliver of it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AblyAuth } from '../../src/ably';
import { ResponseTooLargeError, ServerError, TokensmithError } from '../../src/core/errors';
import { MAX_TOKEN_RESPONSE_BYTES } from '../../src/core/http';
import { MetquayAuth } from '../../src/metquay';
import { createMetquayClient } from '../../src/client';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

let server: Server;
let baseUrl: string;
/** Bytes the server managed to write per request before the client hung up. */
const written: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/pages/api/v1/authenticate') {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ accessToken: 'page-token', tokenType: 'bearer', expiresIn: 900 }));
    }
    const status = req.url?.includes('fail') || req.url?.startsWith('/pages/') ? 500 : 200;
    const contentType = req.url?.includes('text') ? 'text/plain' : 'application/json';
    res.writeHead(status, { 'content-type': contentType }); // no content-length: chunked
    let sent = 0;
    const slot = written.push(0) - 1;
    const pump = (): void => {
      while (sent < GIB) {
        sent += CHUNK.length;
        written[slot] = sent;
        if (!res.write(CHUNK)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => res.removeAllListeners('drain'));
    req.resume();
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const noRetry = { retry: { maxAttempts: 1 } };
const cases: [string, () => Promise<unknown>, (error: TokensmithError) => void][] = [
  [
    'Metquay /authenticate 200',
    () => new MetquayAuth({ accessKey: 'a', secretKey: 'secret-key-value', baseUrl: `${baseUrl}/api/v1`, ...noRetry }).getToken(),
    (error) => expect(error).toMatchObject({ code: 50002, limitBytes: MAX_TOKEN_RESPONSE_BYTES }),
  ],
  [
    'Metquay /authenticate 500',
    () => new MetquayAuth({ accessKey: 'a', secretKey: 'secret-key-value', baseUrl: `${baseUrl}/fail/api/v1`, ...noRetry }).getToken(),
    (error) => {
      expect(error).toBeInstanceOf(ServerError);
      expect(error.message).toContain(`body not read: over ${MAX_TOKEN_RESPONSE_BYTES} bytes`);
    },
  ],
  [
    'Metquay paginate, a 500 page',
    async () => {
      const mq = createMetquayClient({ accessKey: 'a', secretKey: 'secret-key-value', baseUrl: `${baseUrl}/pages/api/v1` });
      for await (const item of mq.paginate('/customers')) void item;
    },
    (error) => expect(error).toMatchObject({ code: 50000, statusCode: 500 }),
  ],
  [
    'Ably requestToken 200',
    () => new AblyAuth({ key: 'app.key:secret', baseUrl }).requestToken(),
    (error) => expect(error).toMatchObject({ code: 50002, limitBytes: MAX_TOKEN_RESPONSE_BYTES }),
  ],
  [
    'Ably requestToken 500',
    () => new AblyAuth({ key: 'app.key:secret', baseUrl: `${baseUrl}/fail` }).requestToken(),
    (error) => expect(error).toBeInstanceOf(ServerError),
  ],
  [
    'authUrl 200 text/plain',
    () => new AblyAuth({ authUrl: `${baseUrl}/text`, baseUrl }).requestToken(),
    (error) => expect(error).toMatchObject({ code: 40170, limitBytes: MAX_TOKEN_RESPONSE_BYTES }),
  ],
  [
    'authUrl 500',
    () => new AblyAuth({ authUrl: `${baseUrl}/fail`, baseUrl }).requestToken(),
    (error) => expect(error).toMatchObject({ code: 40170, upstream: { status: 500 } }),
  ],
];

test.each(cases)('%s: a 1 GiB chunked answer fails fast with a typed error, read no further than the limit', async (_name, call, check) => {
  const before = written.length;
  const rssBefore = process.memoryUsage().rss;
  const startedAt = performance.now();
  const failure = await call().then(
    () => undefined,
    (error: unknown) => error,
  );
  const elapsedMs = performance.now() - startedAt;
  const rssGrowth = process.memoryUsage().rss - rssBefore;
  expect(failure).toBeInstanceOf(TokensmithError);
  check(failure as TokensmithError);
  if (failure instanceof ResponseTooLargeError) expect(failure.message).toContain(`${MAX_TOKEN_RESPONSE_BYTES} bytes`);
  // Generous bounds (the machine is shared); the figures are in the closing note.
  expect(elapsedMs).toBeLessThan(10_000);
  expect(rssGrowth).toBeLessThan(20 * MIB);
  const sent = written.slice(before).reduce((sum, bytes) => sum + bytes, 0);
  expect(sent).toBeLessThan(64 * MIB); // socket buffers only: the client cancelled the rest
  if (process.env.BOUNDED_READ_FIGURES) {
    console.log(`${_name}: ${elapsedMs.toFixed(0)} ms, rss +${(rssGrowth / MIB).toFixed(1)} MiB, server wrote ${(sent / MIB).toFixed(1)} MiB`);
  }
});
