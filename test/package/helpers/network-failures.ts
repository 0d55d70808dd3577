/**
 * A plain-ESM program for the packed-tarball test: every auth path of the installed `tokensmith`
 * against a closed loopback port, printing one line of JSON per path with what the call rejected
 * with. Issue 22: each must be a TokensmithError (TransportError 80000, statusCode 0, a cause).
 */

/** The auth paths the program exercises, in the order it prints them. */
export const AUTH_PATHS = [
  'ably key (basic)',
  'ably token from the key',
  'ably authCallback',
  'ably authUrl',
  'metquay',
  'createSpecAuth basic',
] as const;

export const NETWORK_FAILURES_PROGRAM = `
import { createServer } from 'node:net';
import { createSpecAuth, TokensmithError } from 'tokensmith';
import { createAblyClient, createApiClient, createMetquayClient } from 'tokensmith/client';

const probe = createServer();
await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
const closed = 'http://127.0.0.1:' + probe.address().port;
await new Promise((resolve) => probe.close(resolve));

const key = 'app.key:network-failure-secret';
const channel = (client) => client.GET('/channels/{channelId}', { params: { path: { channelId: 'c' } } });
const spec = {
  defaultServerUrl: closed,
  securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' } },
  operationSecurity: { 'GET /basic': [{ basicAuth: [] }] },
};
const paths = {
  'ably key (basic)': () => channel(createAblyClient({ key, baseUrl: closed })),
  'ably token from the key': () => channel(createAblyClient({ key, baseUrl: closed, useTokenAuth: true })),
  'ably authCallback': () => channel(createAblyClient({ authCallback: async () => 'a-token', baseUrl: closed })),
  'ably authUrl': () => channel(createAblyClient({ authUrl: closed + '/auth', baseUrl: closed })),
  'metquay': () => createMetquayClient({ accessKey: 'a', secretKey: 'network-failure-secret', baseUrl: closed + '/api/v1', retry: { maxAttempts: 1 } }).GET('/customers'),
  'createSpecAuth basic': () =>
    createApiClient(closed, { middleware: [createSpecAuth(spec, { credentials: { basicAuth: { username: 'u', password: 'network-failure-secret' } } }).middleware] }).GET('/basic'),
};
for (const [name, call] of Object.entries(paths)) {
  const outcome = await call().then(() => ({ resolved: true }), (error) => ({
    tokensmith: error instanceof TokensmithError,
    name: error?.name,
    code: error?.code,
    statusCode: error?.statusCode,
    hasCause: error?.cause !== undefined,
    quotesSecret: String(error?.message).includes('network-failure-secret'),
  }));
  console.log(JSON.stringify({ path: name, ...outcome }));
}
`;
