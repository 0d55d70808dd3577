import { MetquayAuth } from '../../src/metquay';
import { createMetquayClient } from '../../src/client';
import { CLIENT, startTestServer } from '../server/metquay/helpers';

const AUTH = 'POST /api/v1/authenticate';
const CUSTOMERS = 'GET /api/v1/customers';

// Only setTimeout/setInterval are faked: sockets, microtasks and setImmediate stay real.
beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'Date', 'performance', 'hrtime'] }));
afterEach(() => jest.useRealTimers());

/** Lets real I/O run until `condition` holds. */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Until a fake timer is pending: the API-call middleware is waiting out Retry-After (it sets no other timer). */
const untilWaiting = () => until(() => jest.getTimerCount() > 0);

describe('429 with Retry-After', () => {
  it('an API call waits out Retry-After and is sent again with the same token, never re-authenticating', async () => {
    const server = await startTestServer({ config: { rateLimitPerMinute: 1 } });
    server.clock.ms = Date.UTC(2025, 0, 1, 12, 0, 58); // 2 s left in the server's window
    const mq = createMetquayClient({ ...CLIENT, baseUrl: `${server.url}/api/v1` });
    expect((await mq.GET('/customers')).response.status).toBe(200);
    const pending = mq.GET('/customers');
    await untilWaiting();
    expect(server.hits(CUSTOMERS)).toBe(2); // the 429
    await jest.advanceTimersByTimeAsync(1_000);
    expect(server.hits(CUSTOMERS)).toBe(2); // Retry-After is 2 s: not yet
    server.clock.advance(2_000);
    await jest.advanceTimersByTimeAsync(1_000);
    const { response } = await pending;
    expect(response.status).toBe(200);
    expect(server.hits(CUSTOMERS)).toBe(3);
    expect(server.hits(AUTH)).toBe(1);
  });

  it('gives up after maxRateLimitRetries and returns the 429 in the Metquay envelope', async () => {
    const server = await startTestServer({ config: { rateLimitPerMinute: 1 } });
    server.clock.ms = Date.UTC(2025, 0, 1, 12, 0, 59);
    const mq = createMetquayClient({ ...CLIENT, baseUrl: `${server.url}/api/v1`, maxRateLimitRetries: 2 });
    await mq.GET('/customers');
    const pending = mq.GET('/customers');
    for (let i = 0; i < 2; i++) {
      await untilWaiting();
      await jest.advanceTimersByTimeAsync(1_000); // the server clock stays put: still limited
    }
    const { response, error } = await pending;
    expect(response.status).toBe(429);
    expect(error).toEqual({ code: 429, message: expect.any(String) });
    expect(server.hits(CUSTOMERS)).toBe(4); // 200, then 429 ×3
    expect(server.hits(AUTH)).toBe(1);
  });

  it('does not wait when Retry-After exceeds maxRetryAfterMs', async () => {
    const server = await startTestServer({ config: { rateLimitPerMinute: 1 } });
    server.clock.ms = Date.UTC(2025, 0, 1, 12, 0, 0); // 60 s left
    const mq = createMetquayClient({ ...CLIENT, baseUrl: `${server.url}/api/v1`, maxRetryAfterMs: 10_000 });
    await mq.GET('/customers');
    const { response } = await mq.GET('/customers');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('60');
    expect(server.hits(CUSTOMERS)).toBe(2);
  });

  it('re-sends a request body intact after a 429', async () => {
    // POST /authenticate is rate limited per IP on the local server; the middleware handles it too.
    const server = await startTestServer({ config: { authenticateRateLimitPerMinute: 1 } });
    server.clock.ms = Date.UTC(2025, 0, 1, 12, 0, 59);
    const mq = createMetquayClient({ ...CLIENT, baseUrl: `${server.url}/api/v1` });
    await mq.POST('/authenticate', { body: CLIENT });
    const pending = mq.POST('/authenticate', { body: CLIENT });
    await untilWaiting();
    server.clock.advance(1_000);
    await jest.advanceTimersByTimeAsync(1_000);
    const { data, response } = await pending;
    expect(response.status).toBe(200);
    expect(data?.tokenType).toBe('bearer');
  });

  it('a 429 from /authenticate is waited out by the token fetch, then the token arrives', async () => {
    const server = await startTestServer({ config: { authenticateRateLimitPerMinute: 1 } });
    server.clock.ms = Date.UTC(2025, 0, 1, 12, 0, 57);
    await server.authenticate(); // spends this IP's budget
    // Core logs this warning right before it sleeps: the moment to move the clocks.
    let retrying = false;
    const quiet = () => {};
    const logger = { debug: quiet, info: quiet, error: quiet, warn: (_obj: object, msg?: string) => void (retrying ||= msg?.includes('retrying') === true) };
    const auth = new MetquayAuth({ ...CLIENT, baseUrl: `${server.url}/api/v1`, logger });
    const pending = auth.getToken();
    await until(() => retrying);
    expect(server.hits(AUTH)).toBe(2);
    server.clock.advance(3_000);
    await jest.advanceTimersByTimeAsync(3_000 + 200); // Retry-After plus at most baseDelayMs of jitter
    expect(await pending).toEqual(expect.any(String));
    expect(server.hits(AUTH)).toBe(3);
  });
});
