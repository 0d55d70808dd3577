/**
 * A Deno server issuing Ably TokenRequests at `GET /ably/token`. Deno resolves tokensmith's
 * `node` condition, so it signs with node:crypto, faster there than Web Crypto (bench/README.md#runtimes).
 *
 *   ABLY_KEY=appId.keyId:secret deno run --allow-net --allow-env=ABLY_KEY,PORT server.ts
 *   curl -H 'x-demo-user: alice' http://127.0.0.1:8000/ably/token
 *
 * In your app, import from 'npm:tokensmith' (the handler is `../edge/token-endpoint.ts`).
 * `npm run test:runtimes` runs this server in Deno against the local auth server.
 */
import { createTokenEndpoint, demoIdentify } from '../edge/token-endpoint';

// The part of the Deno namespace this file uses, so the repository's tsc checks it without Deno's types.
declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    options: { hostname: string; port: number; onListen(address: { hostname: string; port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
};

const key = Deno.env.get('ABLY_KEY');
if (!key) throw new Error('set ABLY_KEY (your appId.keyId:secret)');

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 8000),
    onListen: ({ hostname, port }) => console.log(`token endpoint: http://${hostname}:${port}/ably/token`),
  },
  createTokenEndpoint({ key, identify: demoIdentify }),
);
