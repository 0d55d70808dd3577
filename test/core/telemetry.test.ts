/**
 * Token lifecycle events (`onTokenEvent`): each step of the lifecycle is heard once, with its
 * provider, duration and outcome, and never a token or a secret.
 */
import { InvalidCredentialsError, TransportError } from '../../src/core/errors';
import { MemoryTokenStore } from '../../src/core/store';
import type { TokenEvent } from '../../src/core/telemetry';
import { TokenManager, type TokenManagerOptions } from '../../src/core/token-manager';
import { START, controlledFetch, settle, useFakeClock } from './helpers';

type Tok = { token: string; expiresAt?: number };
const TEN_MIN = 600_000;
const SECRET = 'telemetry-secret-value';

beforeEach(() => useFakeClock());
afterEach(() => jest.useRealTimers());

function managerWithEvents(extra: Partial<TokenManagerOptions<Tok>> = {}) {
  const events: TokenEvent[] = [];
  const fetch = controlledFetch<Tok>();
  const m = new TokenManager<Tok>({
    fetchToken: fetch.fetchToken,
    provider: 'test',
    secrets: [SECRET],
    random: () => 0,
    onTokenEvent: (event) => events.push(event),
    ...extra,
  });
  return { m, events, ...fetch };
}

const types = (events: TokenEvent[]) => events.map((e) => `${e.type}:${e.outcome}`);

test('obtained with its duration, then served from the cache', async () => {
  const { m, events, calls } = managerWithEvents();
  const first = m.getToken();
  await jest.advanceTimersByTimeAsync(250);
  calls[0]!.resolve({ token: 'tok-1', expiresAt: START + TEN_MIN });
  await first;
  await m.getToken();
  m.peek();
  expect(types(events)).toEqual(['obtained:ok', 'cached:ok', 'cached:ok']);
  expect(events[0]).toMatchObject({ provider: 'test', durationMs: 250 });
});

test('renewed ahead in the background, ok and error', async () => {
  const { m, events, calls } = managerWithEvents({ refreshMarginMs: 60_000, refreshJitterRatio: 0, retry: { maxAttempts: 1 } });
  const first = m.getToken();
  await settle();
  calls[0]!.resolve({ token: 'tok-1', expiresAt: START + TEN_MIN });
  await first;
  jest.setSystemTime(START + TEN_MIN - 30_000);
  m.peek();
  await jest.advanceTimersByTimeAsync(40);
  calls[1]!.resolve({ token: 'tok-2', expiresAt: START + 2 * TEN_MIN });
  await settle();
  expect(events.find((e) => e.type === 'renewed-ahead')).toMatchObject({ outcome: 'ok', durationMs: 40 });

  jest.setSystemTime(START + 2 * TEN_MIN - 30_000);
  m.peek();
  await settle();
  calls[2]!.reject(new TransportError(80000, 'network down'));
  await settle();
  expect(events.filter((e) => e.type === 'renewed-ahead').map((e) => e.outcome)).toEqual(['ok', 'error']);
  expect(events.at(-1)).toMatchObject({ type: 'renewed-ahead', outcome: 'error', errorCode: 80000, errorName: 'TransportError' });
});

test('retried, then failed: attempts, codes and class names, no secret', async () => {
  const { m, events, calls } = managerWithEvents({ retry: { maxAttempts: 2, baseDelayMs: 10 } });
  const call = m.getToken().catch((error: unknown) => error);
  await settle();
  calls[0]!.reject(new TransportError(80000, `network down ${SECRET}`));
  await jest.advanceTimersByTimeAsync(20);
  calls[1]!.reject(new InvalidCredentialsError(`refused ${SECRET}`));
  await call;
  expect(types(events)).toEqual(['retried:error', 'failed:error']);
  expect(events[0]).toMatchObject({ attempts: 1, errorCode: 80000, errorName: 'TransportError' });
  expect(events[1]).toMatchObject({ attempts: 2, errorCode: 40101, errorName: 'InvalidCredentialsError' });
  expect(JSON.stringify(events)).not.toContain(SECRET);
});

test('rejected: a token the API refused is dropped once', async () => {
  const { m, events, calls } = managerWithEvents();
  const first = m.getToken();
  await settle();
  calls[0]!.resolve({ token: 'tok-1', expiresAt: START + TEN_MIN });
  await first;
  expect(m.invalidate('some-other-token')).toBe(false);
  expect(m.invalidate('tok-1')).toBe(true);
  expect(types(events)).toEqual(['obtained:ok', 'rejected:ok']);
  expect(JSON.stringify(events)).not.toContain('tok-1');
});

test('waited on a fleet lock: how long, and how it ended', async () => {
  const store = new MemoryTokenStore();
  const a = managerWithEvents({ store, storeKey: 'k' });
  const b = managerWithEvents({ store, storeKey: 'k' });
  const fromA = a.m.getToken();
  await settle();
  const fromB = b.m.getToken();
  await jest.advanceTimersByTimeAsync(300);
  a.calls[0]!.resolve({ token: 'shared', expiresAt: START + TEN_MIN });
  await fromA;
  await jest.advanceTimersByTimeAsync(500);
  await fromB;
  expect(b.calls).toHaveLength(0);
  const waited = b.events.find((e) => e.type === 'lock-waited');
  expect(waited).toMatchObject({ provider: 'test', outcome: 'ok', lock: 'token-landed' });
  expect(waited!.durationMs).toBeGreaterThanOrEqual(300);
});

test('a listener that throws never fails the token path', async () => {
  const warn = jest.fn();
  const fetch = controlledFetch<Tok>();
  const m = new TokenManager<Tok>({
    fetchToken: fetch.fetchToken,
    onTokenEvent: () => {
      throw new Error('listener bug');
    },
    logger: { debug: () => {}, info: () => {}, warn, error: () => {} },
  });
  const call = m.getToken();
  await settle();
  fetch.calls[0]!.resolve({ token: 'tok', expiresAt: START + TEN_MIN });
  expect((await call).token).toBe('tok');
  expect(m.peek()?.token).toBe('tok');
  expect(warn).toHaveBeenCalled();
});

test('"onTokenEvent" must be a function (40003)', () => {
  expect(() => new TokenManager<Tok>({ fetchToken: async () => ({ token: 't' }), onTokenEvent: 'yes' as never })).toThrow(
    expect.objectContaining({ code: 40003, message: '"onTokenEvent" must be a function' }),
  );
});

describe('over real HTTP, through a client', () => {
  beforeEach(() => jest.useRealTimers());

  test('Metquay: a token the API refuses is heard as rejected, then a new one obtained, and the call retried', async () => {
    const { createServer } = await import('node:http');
    const { createMetquayClient } = await import('../../src/client');
    let issued = 0;
    const server = createServer((req, res) => {
      req.resume();
      res.setHeader('content-type', 'application/json');
      if (req.url?.endsWith('/authenticate')) {
        issued++;
        return res.end(JSON.stringify({ accessToken: `token-${issued}`, tokenType: 'bearer', expiresIn: 900 }));
      }
      const ok = req.headers.authorization === 'Bearer token-2';
      res.statusCode = ok ? 200 : 401;
      res.end(JSON.stringify(ok ? [] : { code: 401, message: 'token expired' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const events: TokenEvent[] = [];
      const port = (server.address() as { port: number }).port;
      const mq = createMetquayClient({ accessKey: 'a', secretKey: SECRET, baseUrl: `http://127.0.0.1:${port}/api/v1`, onTokenEvent: (e) => events.push(e) });
      const { response } = await mq.GET('/customers');
      expect(response.status).toBe(200);
      // The retry re-applies the renewed token from the cache.
      expect(events.map((e) => e.type)).toEqual(['obtained', 'rejected', 'obtained', 'cached']);
      expect(events.every((e) => e.provider === 'metquay')).toBe(true);
      expect(JSON.stringify(events)).not.toMatch(/token-\d|telemetry-secret/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
