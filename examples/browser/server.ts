/**
 * Serves the browser example: the page, its script bundled with esbuild, and the token endpoint
 * of `examples/ably-token-server.ts` on the same origin. The page then calls the Ably REST
 * endpoint (here the local auth server) cross-origin, which Ably — and the local server — allow.
 *
 *   npx tsx src/cli/main.ts serve --port 8080     # terminal 1 (or: npm run serve)
 *   ABLY_KEY=demoApp.demoKey:demoKeySecret-public-do-not-use-in-production \
 *   ABLY_BASE_URL=http://127.0.0.1:8080 PORT=3002 npx tsx examples/browser/server.ts
 *   # then open http://127.0.0.1:3002/
 *
 * Env: ABLY_KEY (required), ABLY_BASE_URL (default https://rest.ably.io), PORT (default 3002).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { createTokenHandler } from '../ably-token-server';

/** Options of {@link startBrowserExample}. */
export interface BrowserExampleOptions {
  /** The Ably API key; it stays on this server. */
  key: string;
  /** The Ably REST endpoint the page calls. Default https://rest.ably.io. */
  ablyBaseUrl?: string;
  /** Port to listen on; 0 picks a free one. Default 3002. */
  port?: number;
  /** esbuild plugins for the page's bundle (tests use one to bundle the packed package). */
  plugins?: Plugin[];
}

/** The running example. */
export interface BrowserExample {
  /** The page's URL. */
  url: string;
  close(): Promise<void>;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Bundles `app.ts` for browsers: esbuild resolves tokensmith's `browser` (Web Crypto) entry. */
export async function bundleApp(plugins: Plugin[] = []): Promise<string> {
  const result = await build({
    entryPoints: [here('./app.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    plugins,
  });
  return result.outputFiles[0]!.text;
}

/** Starts the example on 127.0.0.1. */
export async function startBrowserExample(options: BrowserExampleOptions): Promise<BrowserExample> {
  const ablyBaseUrl = options.ablyBaseUrl ?? 'https://rest.ably.io';
  const script = await bundleApp(options.plugins);
  const page = (await readFile(here('./index.html'), 'utf8')).replace('{{ABLY_BASE_URL}}', escapeAttribute(ablyBaseUrl));
  const tokens = createTokenHandler({ key: options.key, baseUrl: ablyBaseUrl });

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'GET' && path === '/') return sendText(response, 'text/html; charset=utf-8', page);
    if (request.method === 'GET' && path === '/app.js') return sendText(response, 'text/javascript; charset=utf-8', script);
    tokens(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3002, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Browsers keep connections open; do not wait for them to give up.
        server.closeAllConnections();
      }),
  };
}

function sendText(response: ServerResponse, contentType: string, body: string): void {
  response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Reads the env, starts the example and returns it (it keeps running until closed). */
export async function main(env: Record<string, string | undefined> = process.env, log = console.log): Promise<BrowserExample> {
  if (!env.ABLY_KEY) throw new Error('set ABLY_KEY (e.g. the local demo key, see the top of this file)');
  const example = await startBrowserExample({
    key: env.ABLY_KEY,
    ...(env.ABLY_BASE_URL ? { ablyBaseUrl: env.ABLY_BASE_URL } : {}),
    port: Number(env.PORT ?? 3002),
  });
  log(`browser example: open ${example.url}`);
  return example;
}

if (process.argv[1]?.endsWith('server.ts') && process.argv[1].includes('browser')) {
  main().catch((error: unknown) => {
    console.error(`browser example: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
