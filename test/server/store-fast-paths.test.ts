import { BoundedStore } from '../../tokensmith-server/src/server/lib/bounded-store';
import { constantTimeEqual } from '../../tokensmith-server/src/server/lib/constant-time';
import { FifoMap } from '../../tokensmith-server/src/server/lib/fifo-map';

// The paths a token request takes through the stores insert without a lookup and evict through
// the slot they hold; they must keep every bound and every notice the general paths keep.

describe('FifoMap fast paths', () => {
  test('add appends a new key as the newest, like set', () => {
    const map = new FifoMap<string, number>();
    map.set('a', 1);
    map.add('b', 2);
    map.add('c', 3);
    expect([map.keys(), map.get('b'), map.size]).toEqual([['a', 'b', 'c'], 2, 3]);
  });

  test('shiftOldest removes and answers the oldest live entry, skipping deleted ones', () => {
    const map = new FifoMap<string, number>();
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3]] as const) map.add(key, value);
    map.delete('a');
    expect(map.shiftOldest()).toMatchObject({ key: 'b', value: 2 });
    expect([map.keys(), map.get('b'), map.size]).toEqual([['c'], undefined, 1]);
    map.shiftOldest();
    expect(map.shiftOldest()).toBeUndefined();
  });

  test('takeFirst removes the oldest passing entry among the first few live ones and answers it', () => {
    const map = new FifoMap<string, number>();
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3], ['d', 4]] as const) map.add(key, value);
    expect(map.takeFirst(2, (value) => value === 4)).toBeUndefined();
    expect(map.takeFirst(3, (value) => value >= 2)).toMatchObject({ key: 'b', value: 2 });
    expect([map.keys(), map.get('b')]).toEqual([['a', 'c', 'd'], undefined]);
  });

  test('removeEach removes every passing entry, oldest first, and tells of each', () => {
    const map = new FifoMap<string, number>();
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3], ['d', 4]] as const) map.add(key, value);
    const removed: string[] = [];
    expect(map.removeEach((value) => value % 2 === 0, (key, value) => removed.push(`${key}=${value}`))).toBe(2);
    expect([removed, map.keys(), map.size]).toEqual([['b=2', 'd=4'], ['a', 'c'], 2]);
  });
});

describe('BoundedStore.addAbsent', () => {
  const sizeOf = (key: string, value: string) => key.length + value.length;

  test('stores a new key under the same bounds as set, evicting the oldest and telling onEvict', () => {
    const evicted: string[] = [];
    const store = new BoundedStore<string, string>({ maxEntries: 100, maxBytes: 10, sizeOf, onEvict: (key) => evicted.push(key) });
    for (const key of ['a', 'b', 'c']) expect(store.addAbsent(key, 'xx')).toBe(true);
    expect(store.addAbsent('d', 'xxxx')).toBe(true);
    expect([store.keys(), store.bytes, evicted]).toEqual([['c', 'd'], 8, ['a', 'b']]);
    expect(store.addAbsent('huge', 'x'.repeat(20))).toBe(false);
    expect(store.bytes).toBeLessThanOrEqual(10);
  });

  test('a full store with a stale scan drops a stale entry among the scanned oldest first', () => {
    const evicted: string[] = [];
    const store = new BoundedStore<string, number>({
      maxEntries: 3,
      sizeOf: () => 1,
      policy: { isStale: (expires, now) => expires <= now, staleScan: 2 },
      onEvict: (key) => evicted.push(key),
    });
    store.addAbsent('live1', 100, 0);
    store.addAbsent('dead', 5, 0);
    store.addAbsent('live2', 100, 0);
    store.addAbsent('new', 100, 10);
    store.addAbsent('newer', 100, 10);
    expect([store.keys(), evicted, store.bytes]).toEqual([['live2', 'new', 'newer'], ['dead', 'live1'], 3]);
  });

  test('a sweep of stale entries gives their bytes back and tells onEvict of each', () => {
    const evicted: string[] = [];
    const store = new BoundedStore<string, number>({ maxEntries: 100, sizeOf: () => 2, onEvict: (key) => evicted.push(key) });
    for (const [key, expires] of [['a', 5], ['b', 50], ['c', 6]] as const) store.addAbsent(key, expires);
    expect(store.sweep((expires) => expires < 10)).toBe(2);
    expect([store.keys(), store.bytes, evicted]).toEqual([['b'], 2, ['a', 'c']]);
  });
});

describe('constantTimeEqual', () => {
  test.each([
    ['equal', 'c2VjcmV0LW1hYw==', 'c2VjcmV0LW1hYw==', true],
    ['one character differs', 'c2VjcmV0LW1hYw==', 'c2VjcmV0LW1hYx==', false],
    ['shorter', 'c2VjcmV0LW1hYw==', 'c2VjcmV0', false],
    ['longer', 'secret', 'secret-and-more', false],
    ['empty against non-empty', '', 'x', false],
    ['both empty', '', '', true],
    ['non-ASCII equal', 'pässwörd-✓', 'pässwörd-✓', true],
    ['non-ASCII differs', 'pässwörd-✓', 'passwörd-✓', false],
  ])('%s', (_case, expected, actual, equal) => {
    expect(constantTimeEqual(expected, actual)).toBe(equal);
  });
});
