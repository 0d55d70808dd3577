/**
 * authorize() races: each call with arguments builds its own token source and manager, and only
 * the current one's token sets clientId and tokenDetails; a replaced manager is stopped (no
 * refresh, no store write). The reproduction from the issue, then a property test over many
 * interleavings of concurrent authorize() calls under fake timers.
 */
import fc from 'fast-check';
import { AblyAuth } from '../../src/ably';
import { canonicalCapability } from '../../src/ably/capability';
import { MemoryTokenStore } from '../../src/core/store';
import { credentialIdentity } from '../../src/core/identity';
import { BASE_URL, KEY } from './helpers/client';
import { isRequestToken, json, mockFetch, tokenDetails } from './helpers/mock-fetch';

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
afterEach(() => jest.useRealTimers());

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Advances fake time in steps until every promise settles: the mock fetch reads request bodies
 * through real stream ticks, so a delay may be scheduled only after one advance has returned.
 */
async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  let pending = promises.length;
  for (const promise of promises) void promise.finally(() => (pending -= 1)).catch(() => undefined);
  // Small steps, each after a real macrotask turn: on a loaded machine the body reads lag behind,
  // and big fake-time steps ran past the fetch timeout before a 300 ms delay was even scheduled.
  for (let step = 0; pending > 0 && step < 2_000; step++) {
    await new Promise((resolve) => setImmediate(resolve));
    await jest.advanceTimersByTimeAsync(10);
  }
}

test('the issue’s reproduction: a slow first authorize cannot overwrite the newer one', async () => {
  let calls = 0;
  const authCallback = async (params: { clientId?: string }) => {
    calls += 1;
    await delay(calls === 1 ? 300 : 10);
    return { token: `token-for-${params.clientId}-${calls}`, clientId: params.clientId, expires: Date.now() + 3_600_000 };
  };
  const auth = new AblyAuth({ baseUrl: BASE_URL, authCallback });
  const first = auth.authorize({ clientId: 'old' });
  await jest.advanceTimersByTimeAsync(20);
  const second = auth.authorize({ clientId: 'new' });
  await jest.advanceTimersByTimeAsync(400);
  const [older, newer] = await Promise.all([first, second]);
  expect(older.clientId).toBe('old'); // the overtaken call still resolves with its own token
  expect(newer.clientId).toBe('new');
  expect(auth.tokenDetails?.token).toBe(newer.token);
  expect(auth.clientId).toBe('new');
  expect(calls).toBe(2);
});

test('a replaced manager writes nothing to the store, even when its fetch lands last', async () => {
  const store = new MemoryTokenStore();
  let exchanges = 0;
  const mock = mockFetch(async (request) => {
    if (!isRequestToken(request)) return json(200, []);
    exchanges += 1;
    const { clientId } = JSON.parse(request.body) as { clientId: string };
    await delay(clientId === 'old' ? 300 : 10);
    return json(200, tokenDetails(`t-${clientId}`, { clientId }));
  });
  const auth = new AblyAuth({ baseUrl: BASE_URL, key: KEY, useTokenAuth: true, store, fetch: mock.fetch });
  const first = auth.authorize({ clientId: 'old' });
  await jest.advanceTimersByTimeAsync(20);
  const second = auth.authorize({ clientId: 'new' });
  await settleAll([first, second]);
  await Promise.all([first, second]);
  const keyFor = (clientId: string) =>
    credentialIdentity({ provider: 'ably', baseUrl: BASE_URL, source: 'appId.keyId', ttl: undefined, capability: undefined, clientId });
  expect((await store.get(keyFor('new')))?.value.token).toBe('t-new');
  expect(await store.get(keyFor('old'))).toBeUndefined();
  expect(exchanges).toBe(2);
});

const CLIENT_IDS = ['alice', 'bob', 'carol', '*'] as const;
const CAPABILITIES = [{ 'chat:*': ['publish'] }, { 'news:*': ['subscribe'] }, { '*': ['*'] }] as const;

test('property: concurrent authorize() calls always end with state matching the latest call’s token', async () => {
  const call = fc.record({
    clientId: fc.constantFrom(...CLIENT_IDS),
    capability: fc.constantFrom(...CAPABILITIES),
    startAfterMs: fc.integer({ min: 0, max: 50 }),
    answerAfterMs: fc.integer({ min: 0, max: 300 }),
    fails: fc.boolean(),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 6 }), async (calls) => {
      let answered = 0;
      const seen: string[] = [];
      const authCallback = async (params: { clientId?: string; capability?: unknown }) => {
        const index = Number(seen.length);
        const spec = calls[index]!;
        seen.push(String(params.clientId));
        await delay(spec.answerAfterMs);
        answered += 1;
        if (spec.fails && index !== calls.length - 1) throw new Error('callback failed');
        return { token: `token-${index}`, clientId: params.clientId, capability: params.capability as string, expires: Date.now() + 3_600_000 };
      };
      const auth = new AblyAuth({ baseUrl: BASE_URL, authCallback });
      const results: Promise<unknown>[] = [];
      for (const spec of calls) {
        await jest.advanceTimersByTimeAsync(spec.startAfterMs);
        results.push(auth.authorize({ clientId: spec.clientId, capability: spec.capability }).catch(() => undefined));
      }
      await jest.advanceTimersByTimeAsync(1_000);
      await Promise.all(results);
      const last = calls.length - 1;
      const latest = calls[last]!;
      expect(auth.tokenDetails?.token).toBe(`token-${last}`);
      expect(auth.clientId).toBe(latest.clientId);
      expect(auth.tokenDetails?.clientId).toBe(latest.clientId);
      expect(auth.tokenDetails?.capability).toBe(canonicalCapability(latest.capability));
      // Each call fetched once, for its own params; nothing refreshed or retried afterwards.
      expect(seen).toEqual(calls.map((spec) => spec.clientId));
      await jest.advanceTimersByTimeAsync(60_000);
      expect(answered).toBe(calls.length);
    }),
    { numRuns: 2_000 },
  );
}, 120_000);
