/**
 * A network failure says what failed and where, keeps the underlying error as `cause`, and never
 * shows a secret from the URL.
 */
import { createServer } from 'node:net';
import { AblyAuth } from '../../src/ably';
import { TransportError } from '../../src/core/errors';
import { describeNetworkCause } from '../../src/core/http';
import { MetquayAuth } from '../../src/metquay';

let closedPort: number;
beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const noRetry = { retry: { maxAttempts: 1 } };

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

test('Ably requestToken to a closed port: ECONNREFUSED with the address, the cause kept', async () => {
  const error = await failure(new AblyAuth({ key: 'app.key:key-secret-value', baseUrl: `http://127.0.0.1:${closedPort}` }).requestToken());
  expect(error.code).toBe(80000);
  expect(error.message).toContain(`ECONNREFUSED 127.0.0.1:${closedPort}`);
  expect(error.message).toContain(`POST http://127.0.0.1:${closedPort}/keys/app.key/requestToken`);
  expect((error.cause as Error).name).toBe('TypeError');
  expect(error.message).not.toContain('key-secret-value');
});

test('an authUrl with a secret in its query: the query never appears', async () => {
  const authUrl = `http://127.0.0.1:${closedPort}/ably-token?apiKey=query-secret-value`;
  const error = await failure(new AblyAuth({ authUrl, authParams: { session: 'param-secret' } }).requestToken());
  expect(error.message).toContain(`ECONNREFUSED 127.0.0.1:${closedPort} (GET http://127.0.0.1:${closedPort}/ably-token)`);
  expect(error.message).not.toContain('query-secret-value');
  expect(error.message).not.toContain('param-secret');
  expect(JSON.stringify(error)).not.toContain('query-secret-value');
});

test('Metquay /authenticate to a closed port, after the retries: the same shape', async () => {
  const auth = new MetquayAuth({ accessKey: 'a', secretKey: 'metquay-secret-value', baseUrl: `http://127.0.0.1:${closedPort}/api/v1`, ...noRetry });
  const error = await failure(auth.getToken());
  expect(error.message).toBe(
    `Metquay /authenticate: network error: ECONNREFUSED 127.0.0.1:${closedPort} (POST http://127.0.0.1:${closedPort}/api/v1/authenticate)`,
  );
  expect((error.cause as Error).message).toBe('fetch failed');
});

test.each([
  ['a DNS failure', Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND rest.ably.io'), { code: 'ENOTFOUND', hostname: 'rest.ably.io' }) }), 'ENOTFOUND rest.ably.io'],
  ['several addresses refused', Object.assign(new TypeError('fetch failed'), { cause: new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED', address: '::1', port: 9 })]) }), 'ECONNREFUSED ::1:9'],
  ['no system code', new TypeError('fetch failed', { cause: new Error('other side closed') }), 'other side closed'],
])('describes %s', (_case, error, expected) => {
  expect(describeNetworkCause(error)).toBe(expected);
});
