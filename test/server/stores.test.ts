import { nodeSigner } from 'tokensmith';
import { GrantCache } from '../../tokensmith-server/src/server/ably/capability-grants';
import { IdempotencyStore } from '../../tokensmith-server/src/server/ably/idempotency';
import { MessageLog } from '../../tokensmith-server/src/server/ably/message-log';
import { NonceStore } from '../../tokensmith-server/src/server/ably/nonce-store';
import { TokenRegistry, type IssuedToken } from '../../tokensmith-server/src/server/ably/token-registry';
import type { Principal } from '../../tokensmith-server/src/server/ably/principal';
import { RevocationList, type RevocationRule } from '../../tokensmith-server/src/server/ably/revocations';
import { BoundedStore, ByteBudget } from '../../tokensmith-server/src/server/lib/bounded-store';
import { RequestLog } from '../../tokensmith-server/src/server/admin/request-log';
import { FaultInjector } from '../../tokensmith-server/src/server/admin/faults';
import { PresenceStore } from '../../tokensmith-server/src/server/ably/presence';
import { FixedWindowRateLimiter } from '../../tokensmith-server/src/server/metquay/rate-limit';
import { StatsLog } from '../../tokensmith-server/src/server/ably/stats';
import { hostMatcher } from '../../tokensmith-server/src/server/lib/host-check';
import { randomBase64UrlSource } from '../../tokensmith-server/src/server/lib/random-pool';

const WINDOW = 10_000;

describe('NonceStore', () => {
  test('a nonce is fresh once, then replayed; nonces are per key', () => {
    const store = new NonceStore(10, WINDOW);
    expect(store.use('k1', 'n', 1_000, 1_000)).toBe('fresh');
    expect(store.use('k1', 'n', 1_000, 1_000)).toBe('replayed');
    expect(store.use('k2', 'n', 1_000, 1_000)).toBe('fresh');
  });

  test('when full, nonces whose timestamps left the window are evicted first', () => {
    const store = new NonceStore(3, WINDOW);
    store.use('k', 'old1', 0, 0);
    store.use('k', 'old2', 1, 1);
    store.use('k', 'recent', 15_000, 15_000);
    expect(store.use('k', 'new', 20_000, 20_000)).toBe('fresh');
    expect(store.size).toBe(2);
    expect(store.use('k', 'recent', 15_000, 20_000)).toBe('replayed');
  });

  test('when full of in-window nonces it drops the oldest half and refuses their timestamps from then on', () => {
    const store = new NonceStore(4, WINDOW);
    for (let i = 0; i < 4; i++) store.use('k', `n${i}`, 1_000 + i, 2_000);
    expect(store.use('k', 'n4', 1_010, 2_000)).toBe('fresh');
    expect(store.size).toBeLessThanOrEqual(4);
    // n0 (timestamp 1000) was dropped, but it cannot be replayed: its timestamp is now below the floor.
    expect(store.use('k', 'n0', 1_000, 2_000)).toBe('evicted-window');
    expect(store.use('k', 'n3', 1_003, 2_000)).toBe('replayed');
  });

  test('never grows past its bound', () => {
    const store = new NonceStore(50, WINDOW);
    for (let i = 0; i < 1_000; i++) store.use('k', `n${i}`, i, i);
    expect(store.size).toBeLessThanOrEqual(50);
  });

  test('through many evictions (and the compaction of its arrays) every nonce still held is refused as replayed', () => {
    const store = new NonceStore(3_000, WINDOW);
    const now = 1_000_000;
    // All in the window: each time it fills, the oldest half goes and raises the floor.
    for (let i = 0; i < 20_000; i++) expect(store.use(i % 2 === 0 ? 'k1' : 'k2', `n${i}`, now + i, now + i)).toBe('fresh');
    expect(store.size).toBeLessThanOrEqual(3_000);
    expect(store.size).toBeGreaterThan(1_000);
    expect(store.bytes).toBe(store.size * (2 * ('k1\n'.length + 'n12345'.length) + 64));
    // The newest are held; a dropped one is below the floor; neither can be used again.
    expect(store.use('k2', 'n19999', now + 19_999, now + 20_000)).toBe('replayed');
    expect(store.use('k1', 'n0', now, now + 20_000)).toBe('evicted-window');
    // A nonce refused as not current is not held, so the same nonce with a current timestamp is not a replay.
    expect(store.use('k1', 'again', now, now + 20_000)).toBe('evicted-window');
    expect(store.use('k1', 'again', now + 20_000, now + 20_000)).toBe('fresh');
  });

  test('bounded in bytes, and a nonce alone over the bound is not held (refused as not current)', () => {
    const perEntry = 2 * ('k\nn000'.length) + 64;
    const store = new NonceStore(1_000, WINDOW, 10 * perEntry);
    for (let i = 0; i < 100; i++) store.use('k', `n${String(i).padStart(3, '0')}`, 5_000 + i, 5_000 + i);
    expect(store.bytes).toBeLessThanOrEqual(10 * perEntry);
    expect(store.use('k', 'x'.repeat(400), 6_000, 6_000)).toBe('evicted-window');
    store.clear();
    expect([store.size, store.bytes]).toEqual([0, 0]);
    expect(store.use('k', 'n000', 1, 1)).toBe('fresh');
  });
});

describe('IdempotencyStore', () => {
  test('an id is remembered for the window, per channel, then forgotten', () => {
    const store = new IdempotencyStore(1024 * 1024, 120_000);
    store.remember('c', 'id', 0);
    expect(store.has('c', 'id', 119_999)).toBe(true);
    expect(store.has('other', 'id', 1)).toBe(false);
    expect(store.has('c', 'id', 120_000)).toBe(false);
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
  });

  test('never grows past its bound in bytes: the oldest ids go first', () => {
    const maxBytes = 16 * 1024;
    const store = new IdempotencyStore(maxBytes);
    for (let i = 0; i < 5_000; i++) {
      store.remember('channel', `id-${i}`, 1);
      expect(store.bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(store.has('channel', 'id-4999', 1)).toBe(true);
    expect(store.has('channel', 'id-0', 1)).toBe(false);
  });
});

describe('MessageLog paging', () => {
  test('pages by serial: a cursor keeps its place while messages arrive; bytes stay bounded', () => {
    const log = new MessageLog<{ timestamp: number; n: number }>(10, 1_000, 4_000);
    for (let n = 0; n < 10; n++) log.append('c', [{ timestamp: n, n }], [0]);
    const first = log.history('c', { limit: 3, direction: 'backwards' });
    expect(first.items.map((m) => m.n)).toEqual([9, 8, 7]);
    log.append('c', [{ timestamp: 10, n: 10 }], [0]);
    const second = log.history('c', { limit: 3, direction: 'backwards', cursor: first.nextCursor as number });
    expect(second.items.map((m) => m.n)).toEqual([6, 5, 4]);
    for (let n = 0; n < 100; n++) log.append('c', [{ timestamp: n, n }], [100]);
    expect(log.bytes).toBeLessThanOrEqual(4_000);
  });
});

describe('PresenceStore and FixedWindowRateLimiter', () => {
  test('presence members are bounded in bytes: the channel seeded least recently goes', () => {
    const presence = new PresenceStore(10, 100, 4_000);
    const members = (n: number) => Array.from({ length: n }, (_, i) => ({ clientId: `client-${i}`, data: 'x'.repeat(100) }));
    presence.seed('first', members(5), 0);
    presence.seed('second', members(5), 0);
    presence.seed('third', members(5), 0);
    expect(presence.bytes).toBeLessThanOrEqual(4_000);
    expect([presence.count('first'), presence.count('third')]).toEqual([0, 5]);
  });

  test('rate-limit counts are bounded in keys and bytes; the key first seen in the window goes first', () => {
    const limiter = new FixedWindowRateLimiter(2, 60_000, 3, 1_000);
    for (const key of ['a', 'b', 'a', 'c']) expect(limiter.take(key, 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(false);
    expect(limiter.take('d', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(true); // forgotten when d came: a fresh budget
    for (let i = 0; i < 50; i++) limiter.take(`long-${i}`.padEnd(300, 'k'), 0);
    expect(limiter.bytes).toBeLessThanOrEqual(1_000);
  });
});

describe('StatsLog', () => {
  test('counters are bounded in bytes (their names come from stats fixtures); names such as constructor count like any other', () => {
    const stats = new StatsLog('app', 1_440, 8_000);
    for (let i = 0; i < 500; i++) stats.count(`fixture.counter.${i}`.padEnd(40, 'n'), 1, 60_000 * (i % 5));
    expect(stats.bytes).toBeLessThanOrEqual(8_000);
    stats.count('constructor', 2, 10 * 60_000);
    stats.count('constructor', 3, 10 * 60_000);
    stats.count('__proto__', 4, 10 * 60_000);
    const [minute] = stats.read({ limit: 1, direction: 'backwards' }, 'minute', 10 * 60_000).items;
    expect(JSON.parse(JSON.stringify(minute?.entries))).toEqual(Object.fromEntries([['constructor', 5], ['__proto__', 4]]));
  });

  test('past maxMinutes the minute counted first goes', () => {
    const stats = new StatsLog('app', 3);
    for (let minute = 0; minute < 5; minute++) stats.count('messages.all.all.count', 1, minute * 60_000);
    const page = stats.read({ limit: 10, direction: 'forwards', start: 0 }, 'minute', 5 * 60_000);
    expect(page.items.map((item) => item.intervalId.slice(-2))).toEqual(['02', '03', '04']);
  });
});

describe('hostMatcher', () => {
  test('remembers verdicts for any number of distinct 8 KB Host values and still judges each right', () => {
    const isOwn = hostMatcher('127.0.0.1', ['.example.test']);
    for (let i = 0; i < 1_000; i++) expect(isOwn(`${'h'.repeat(8 * 1024)}${i}.evil.example`)).toBe(false);
    expect([isOwn('a.example.test'), isOwn('localhost:3000'), isOwn('evil.example')]).toEqual([true, true, false]);
  });
});

describe('TokenRegistry', () => {
  const details = (expires: number): IssuedToken => ({ keyName: 'a.b', issued: 0, expires, capability: { '*': ['*'] }, clientId: undefined });

  test('past its bound it evicts an expired token first, else the oldest', () => {
    const registry = new TokenRegistry(2);
    registry.add('t1', details(10_000), 0);
    registry.add('t2', details(100), 0);
    registry.add('t3', details(10_000), 200);
    expect([registry.get('t1'), registry.get('t2'), registry.get('t3')].map(Boolean)).toEqual([true, false, true]);
    registry.add('t4', details(10_000), 300);
    expect([registry.get('t1'), registry.get('t3'), registry.get('t4')].map(Boolean)).toEqual([false, true, true]);
    expect(registry.size).toBe(2);
  });

  test('a long run of tokens expiring in order stays bounded, keeps the newest, and answers for each held token', () => {
    const registry = new TokenRegistry(100);
    for (let i = 0; i < 10_000; i++) registry.add(`t${i}`, details(i + 50), i);
    expect(registry.size).toBe(100);
    expect(registry.get('t9999')?.expires).toBe(10_049);
    expect(registry.get('t9900')).toBeDefined();
    expect(registry.get('t9899')).toBeUndefined();
  });

  test('tokens and marks share one byte bound; a mark evicts tokens to land; clear gives every byte back', () => {
    const one = 200 + 2 * ('t0'.length + 'a.b'.length) + 2 * '*'.length + 16 + 2 * '*'.length + 16;
    const registry = new TokenRegistry(1_000, 3 * one);
    for (const token of ['t0', 't1', 't2', 't3']) registry.add(token, details(10_000), 0);
    expect([registry.size, registry.bytes]).toEqual([3, 3 * one]);
    expect(registry.get('t0')).toBeUndefined();
    registry.mark('t9', 'revoked');
    expect(registry.get('t1')).toBeUndefined();
    expect(registry.markOf('t9')).toBe('revoked');
    expect(registry.bytes).toBeLessThanOrEqual(3 * one);
    expect(registry.markAll('expired')).toBe(registry.size);
    registry.clear();
    expect([registry.size, registry.bytes]).toEqual([0, 0]);
  });

  test('marks are bounded too', () => {
    const registry = new TokenRegistry(2);
    for (const token of ['a', 'b', 'c']) registry.mark(token, 'revoked');
    expect([registry.markOf('a'), registry.markOf('b'), registry.markOf('c')]).toEqual([undefined, 'revoked', 'revoked']);
  });
});

describe('BoundedStore', () => {
  const sizeOf = (key: string, value: string) => key.length + value.length;

  test('bounded in bytes: the oldest go until the new entry fits; re-setting a key frees its old bytes', () => {
    const store = new BoundedStore<string, string>({ maxEntries: 100, maxBytes: 10, sizeOf });
    for (const key of ['a', 'b', 'c']) expect(store.set(key, 'xx')).toBe(true);
    expect([store.size, store.bytes]).toEqual([3, 9]);
    store.set('d', 'xxxx');
    expect([store.keys(), store.bytes]).toEqual([['c', 'd'], 8]);
    store.set('c', 'x');
    expect([store.all(), store.bytes]).toEqual([[['d', 'xxxx'], ['c', 'x']], 7]);
    expect(store.set('huge', 'x'.repeat(20))).toBe(false);
    expect(store.bytes).toBeLessThanOrEqual(10);
  });

  test('stale entries among the scanned oldest go before any live one', () => {
    const store = new BoundedStore<string, number>({ maxEntries: 3, sizeOf: () => 1, policy: { isStale: (expires, now) => expires <= now, staleScan: 2 } });
    store.set('live1', 100, 0);
    store.set('dead', 5, 0);
    store.set('live2', 100, 0);
    store.set('new', 100, 10);
    expect(store.keys()).toEqual(['live1', 'live2', 'new']);
    store.set('newer', 100, 10);
    expect(store.keys()).toEqual(['live2', 'new', 'newer']);
  });

  test('refuse: only stale entries are ever forgotten, and set answers false when none is', () => {
    const evicted: string[] = [];
    const store = new BoundedStore<string, number>({
      maxEntries: 2,
      sizeOf: () => 1,
      policy: { isStale: (expires, now) => expires <= now, whenFull: 'refuse' },
      onEvict: (key) => evicted.push(key),
    });
    store.set('a', 10, 0);
    store.set('b', 20, 0);
    expect(store.set('c', 30, 5)).toBe(false);
    expect(store.set('c', 30, 10)).toBe(true);
    expect([store.keys(), evicted]).toEqual([['b', 'c'], ['a']]);
  });

  test('shrinkTo: a full store sheds the oldest down to the fraction, so its sweep runs once per many inserts', () => {
    const store = new BoundedStore<number, number>({ maxEntries: 10, sizeOf: () => 1, policy: { isStale: () => false, shrinkTo: 0.5 } });
    for (let i = 0; i < 11; i++) store.set(i, i);
    expect(store.keys()).toEqual([5, 6, 7, 8, 9, 10]);
  });

  test('two stores on one budget are bounded together; clear gives the bytes back', () => {
    const budget = new ByteBudget(10);
    const first = new BoundedStore<string, string>({ maxEntries: 100, budget, sizeOf });
    const second = new BoundedStore<string, string>({ maxEntries: 100, budget, sizeOf });
    first.set('a', 'xxxx');
    second.set('b', 'xxxx');
    expect(second.set('c', 'xxxx')).toBe(true);
    expect([first.keys(), second.keys(), budget.held]).toEqual([['a'], ['c'], 10]);
    expect(second.set('d', 'xxxxxxxxx')).toBe(false);
    first.clear();
    expect([budget.held, second.bytes]).toEqual([0, 0]);
  });

  test('an entry alone over maxBytes is refused before anything goes; the value it would replace stays', () => {
    const store = new BoundedStore<string, string>({ maxEntries: 100, maxBytes: 10, sizeOf });
    store.set('a', 'xx');
    store.set('b', 'xx');
    expect(store.set('a', 'x'.repeat(20))).toBe(false);
    expect([store.all(), store.bytes]).toEqual([[['a', 'xx'], ['b', 'xx']], 6]);
  });

  test('update re-measures in place: the entry keeps its age, and growth makes room from the oldest (itself included)', () => {
    const evicted: string[] = [];
    const store = new BoundedStore<string, string>({ maxEntries: 100, maxBytes: 11, sizeOf, onEvict: (key) => evicted.push(key) });
    for (const key of ['a', 'b', 'c']) store.set(key, 'x');
    expect(store.update('b', 'xxxxx')).toBe(true);
    expect([store.keys(), store.bytes]).toEqual([['a', 'b', 'c'], 10]);
    expect(store.update('c', 'xxx')).toBe(true);
    expect([store.keys(), evicted, store.bytes]).toEqual([['b', 'c'], ['a'], 10]);
    expect(store.update('b', 'x'.repeat(9))).toBe(false);
    expect([store.keys(), evicted]).toEqual([['c'], ['a', 'b']]);
    expect(store.update('missing', 'x')).toBe(false);
  });

  test('pruneOldest evicts from the front while the oldest passes; values and find read oldest first', () => {
    const store = new BoundedStore<string, number>({ maxEntries: 100, sizeOf: () => 1 });
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 1], ['d', 3]] as const) store.set(key, value);
    expect(store.pruneOldest((value) => value < 3)).toBe(3);
    store.set('e', 4);
    expect([store.values(), store.find((value) => value > 3), store.find((value) => value > 9)]).toEqual([[3, 4], 4, undefined]);
  });

  test('reclaim: when only bytes are short the oldest entry is shrunk in place before it is evicted whole', () => {
    const store = new BoundedStore<string, number[]>({
      maxEntries: 2,
      maxBytes: 10,
      sizeOf: (_key, items) => items.length,
      policy: {
        reclaim: (_key, items, excess) => items.splice(0, Math.min(excess, items.length)).length,
      },
    });
    store.set('old', [1, 2, 3, 4, 5, 6]);
    store.set('new', [7, 8, 9, 10, 11, 12]);
    expect([store.get('old'), store.bytes]).toEqual([[3, 4, 5, 6], 10]);
    // Over the entry bound the oldest goes whole, never shrunk.
    store.set('third', [13]);
    expect([store.keys(), store.bytes]).toEqual([['new', 'third'], 7]);
  });
});

describe('RevocationList', () => {
  const rule = (value: string, issuedBefore: number): RevocationRule => ({ keyName: 'app.key', type: 'clientId', value, issuedBefore, appliesAt: 0 });
  const principal = (clientId: string, issued: number): Principal => ({ kind: 'token', keyName: 'app.key', clientId, issued, capability: {} });

  test('full of rules in force, a new one is refused, never an old one forgotten; a lapsed rule makes room', () => {
    const list = new RevocationList(2, 1_000);
    expect(list.add(rule('a', 100), 100)).toBe(true);
    expect(list.add(rule('b', 500), 500)).toBe(true);
    expect(list.add(rule('c', 600), 600)).toBe(false);
    expect(list.revokes(principal('a', 50), 600)).toBe(true);
    expect(list.add(rule('c', 1_100), 1_100)).toBe(true);
    expect([list.size, list.revokes(principal('a', 50), 1_100), list.revokes(principal('c', 50), 1_100)]).toEqual([2, false, true]);
  });

  test('bounded in bytes too: a rule past the byte bound is refused', () => {
    const list = new RevocationList(10_000, 1_000, 4_096);
    expect(list.add(rule('x'.repeat(1_000), 0), 0)).toBe(true);
    expect(list.add(rule('y'.repeat(1_000), 0), 0)).toBe(false);
    expect(list.size).toBe(1);
  });
});

describe('RequestLog and FaultInjector', () => {
  test('the request log keeps the newest entries only', () => {
    const log = new RequestLog(2);
    for (const path of ['/a', '/b', '/c']) log.add({ method: 'GET', path, status: 200, durationMs: 1, at: 0 });
    expect(log.list().map((entry) => entry.path)).toEqual(['/b', '/c']);
  });

  test('a fault matches exact paths or * prefixes and is used up after count requests', () => {
    const faults = new FaultInjector();
    faults.add({ path: '/channels/*', status: 500, count: 2 });
    faults.add({ path: '/time', method: 'GET', status: 503 });
    expect(faults.take('GET', '/channels/x/messages')?.status).toBe(500);
    expect(faults.take('POST', '/time')).toBeUndefined();
    expect(faults.take('GET', '/time')?.status).toBe(503);
    expect(faults.take('GET', '/time')).toBeUndefined();
    expect(faults.take('GET', '/channels/y/messages')?.remaining).toBe(0);
    expect(faults.size).toBe(0);
  });

  test('at most 100 faults are pending', () => {
    const faults = new FaultInjector();
    for (let i = 0; i < 150; i++) faults.add({ path: `/p${i}`, status: 500 });
    expect(faults.size).toBe(100);
  });
});

describe('FifoMap', () => {
  test('evicts in insertion order; re-setting a key makes it the newest; deleted keys are skipped', async () => {
    const { FifoMap } = await import('../../tokensmith-server/src/server/lib/fifo-map');
    const map = new FifoMap<string, number>();
    for (const key of ['a', 'b', 'c', 'd']) map.set(key, key.charCodeAt(0));
    map.set('a', 1);
    map.delete('b');
    expect(map.keys()).toEqual(['c', 'd', 'a']);
    expect(map.oldest(2)).toEqual([['c', 99], ['d', 100]]);
    expect(map.shiftOldest()?.key).toBe('c');
    expect(map.size).toBe(2);
    expect(map.get('a')).toBe(1);
  });

  test('takeFirst scans only the first few live entries, skipping deleted ones', async () => {
    const { FifoMap } = await import('../../tokensmith-server/src/server/lib/fifo-map');
    const map = new FifoMap<string, number>();
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3], ['d', 4]] as const) map.set(key, value);
    map.delete('a');
    expect(map.takeFirst(2, (value) => value === 4)).toBeUndefined();
    expect(map.takeFirst(2, (value) => value >= 3)).toBeDefined();
    expect(map.keys()).toEqual(['b', 'd']);
  });

  test('stays correct across many evictions (queue compaction)', async () => {
    const { FifoMap } = await import('../../tokensmith-server/src/server/lib/fifo-map');
    const map = new FifoMap<number, number>();
    for (let i = 0; i < 20_000; i++) {
      map.set(i, i);
      if (map.size > 100) map.shiftOldest();
    }
    expect(map.keys()).toEqual(Array.from({ length: 100 }, (_, i) => 19_900 + i));
  });
});

describe('GrantCache', () => {
  const key = { keyName: 'app.key', secret: 'unused-secret', secretBytes: new Uint8Array(), capability: { 'chat:*': ['publish', 'subscribe'] }, hmac: nodeSigner.importHmacKey('unused-secret'), revocableTokens: false };

  test('the same requested text gets the same frozen grant; its text is canonical', () => {
    const cache = new GrantCache();
    const first = cache.grant(key, '{"chat:lobby":["*"]}');
    expect(first.text).toBe('{"chat:lobby":["publish","subscribe"]}');
    expect(cache.grant(key, '{"chat:lobby":["*"]}')).toBe(first);
    expect(Object.isFrozen(first.capability) && Object.isFrozen(first.capability['chat:lobby'])).toBe(true);
    expect(cache.grant(key, undefined).text).toBe('{"chat:*":["publish","subscribe"]}');
  });

  test.each([
    ['not JSON', '{', 40000],
    ['an unknown operation', '{"chat:x":["fly"]}', 40000],
    ['nothing in common with the key', '{"other":["publish"]}', 40160],
  ])('a refusal (%s) is thrown every time, never remembered', (_name, requested, code) => {
    const cache = new GrantCache();
    for (let i = 0; i < 2; i++) expect(() => cache.grant(key, requested)).toThrow(expect.objectContaining({ code }));
  });

  test('one byte budget for every key: a key whose grants fill it does not stop grants of another key being remembered', () => {
    const other = { ...key, keyName: 'app.other' };
    const cache = new GrantCache(512, 8_000);
    const texts = Array.from({ length: 20 }, (_, i) => `{"chat:${i}":["publish"]}`);
    for (const text of texts) cache.grant(key, text);
    expect(cache.bytes).toBeLessThanOrEqual(8_000);
    const first = cache.grant(other, texts[0]);
    expect(cache.grant(other, texts[0])).toBe(first);
    expect(cache.bytes).toBeLessThanOrEqual(8_000);
  });

  test('is bounded: past its size the oldest grants go, and grants stay correct', () => {
    const cache = new GrantCache(4);
    const texts = Array.from({ length: 10 }, (_, i) => `{"chat:${i}":["publish"]}`);
    const grants = texts.map((text) => cache.grant(key, text));
    expect(grants.map((grant) => grant.text)).toEqual(texts);
    expect(cache.grant(key, texts[9])).toBe(grants[9]);
    expect(cache.grant(key, texts[0])).not.toBe(grants[0]);
  });
});

describe('randomBase64UrlSource', () => {
  test('hands out distinct strings of the right length across pool refills', () => {
    const next = randomBase64UrlSource(30, 4);
    const drawn = Array.from({ length: 50 }, () => next());
    expect(new Set(drawn).size).toBe(50);
    for (const text of drawn) expect(text).toMatch(/^[A-Za-z0-9_-]{40}$/);
  });
});
