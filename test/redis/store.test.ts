import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { TokenState, TokenStore } from '../../src/core/store';
import { RedisTokenStore, type RedisTokenStoreOptions } from '../../src/redis';
import { describeWithRedis } from './helpers/env';
import { recordingLogger } from './helpers/logger';
import { freePort } from './helpers/redis-server';

interface Token {
  token: string;
  expiresAt: number;
}

function state(token: string, lifetimeMs = 60_000): TokenState<Token> {
  const now = Date.now();
  return { value: { token, expiresAt: now + lifetimeMs }, obtainedAt: now, expiresAt: now + lifetimeMs };
}

describeWithRedis('RedisTokenStore against redis-server', (redisUrl) => {
  let redis: Redis;
  let prefix: string;
  const open: RedisTokenStore[] = [];
  const newStore = (options: RedisTokenStoreOptions = {}): RedisTokenStore => {
    const store = new RedisTokenStore({ url: redisUrl, prefix, ...options });
    open.push(store);
    return store;
  };

  /** Resolves once `listeners` connections listen on `channel`, so a publish cannot beat a subscription. */
  async function subscribed(channel: string, listeners: number): Promise<void> {
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
      const [, count] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      if (count >= listeners) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`nobody subscribed to ${channel}`);
  }

  beforeAll(() => {
    redis = new Redis(redisUrl);
  });
  beforeEach(() => {
    prefix = `test:store:${randomUUID()}:`;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });
  afterAll(() => {
    redis.disconnect();
  });

  it('implements TokenStore with every optional hook', () => {
    const store: TokenStore = newStore();
    const hooks = [store.acquireLock, store.extendLock, store.releaseLock, store.waitForUpdate];
    expect(hooks.every((hook) => typeof hook === 'function')).toBe(true);
  });

  describe('entries', () => {
    it('stores the state as JSON under prefix + key with PX from the given lifetime', async () => {
      const store = newStore();
      const saved = state('token-a');
      await store.set('cred', saved, 30_000);
      expect(await store.get('cred')).toEqual(saved);
      expect(JSON.parse((await redis.get(`${prefix}{cred}`)) ?? 'null')).toEqual(saved);
      const pttl = await redis.pttl(`${prefix}{cred}`);
      expect(pttl).toBeGreaterThan(29_000);
      expect(pttl).toBeLessThanOrEqual(30_000);
    });

    it('rounds a fractional lifetime up to whole ms', async () => {
      await newStore().set('cred', state('token-a'), 1_500.2);
      expect(await redis.pttl(`${prefix}{cred}`)).toBeGreaterThan(1_400);
    });

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a lifetime of %p with 40003', async (ttlMs) => {
      await expect(newStore().set('cred', state('token-a'), ttlMs)).rejects.toMatchObject({ code: 40003 });
    });

    it('reads an absent key as undefined and deletes', async () => {
      const store = newStore();
      expect(await store.get('cred')).toBeUndefined();
      await store.set('cred', state('token-a'), 30_000);
      await store.delete('cred');
      expect(await store.get('cred')).toBeUndefined();
      await expect(store.delete('cred')).resolves.toBeUndefined();
    });

    it('reads a value it did not write (garbage, wrong shape) as absent', async () => {
      const store = newStore();
      await redis.set(`${prefix}{garbage}`, 'not json');
      await redis.set(`${prefix}{shape}`, JSON.stringify({ value: { token: 42 }, obtainedAt: 1 }));
      expect(await store.get('garbage')).toBeUndefined();
      expect(await store.get('shape')).toBeUndefined();
    });

    it('refuses to store a state with a secret-looking field, and writes nothing', async () => {
      const store = newStore();
      const leaky = { ...state('token-a'), value: { token: 'token-a', expiresAt: 1, secretKey: 'k' } } as TokenState<Token>;
      await expect(store.set('cred', leaky, 30_000)).rejects.toMatchObject({ code: 40003, message: expect.stringContaining('secretKey') });
      expect(await redis.exists(`${prefix}{cred}`)).toBe(0);
    });

    it.each(['', undefined])('refuses a key of %p with 40003', async (key) => {
      await expect(newStore().get(key as unknown as string)).rejects.toMatchObject({ code: 40003 });
    });
  });

  describe('fetch lock', () => {
    it('SET NX PX: one owner at a time, the owner may re-acquire (extending it), compare-and-delete release', async () => {
      const store = newStore();
      expect(await store.acquireLock('cred', 'owner-1', 5_000)).toBe(true);
      expect(await redis.pttl(`${prefix}{cred}:lock`)).toBeGreaterThan(4_000);
      expect(await store.acquireLock('cred', 'owner-2', 5_000)).toBe(false);
      expect(await store.acquireLock('cred', 'owner-1', 9_000)).toBe(true);
      expect(await redis.pttl(`${prefix}{cred}:lock`)).toBeGreaterThan(8_000);
      await store.releaseLock('cred', 'owner-2');
      expect(await store.acquireLock('cred', 'owner-2', 5_000)).toBe(false);
      await store.releaseLock('cred', 'owner-1');
      expect(await store.acquireLock('cred', 'owner-2', 5_000)).toBe(true);
    });

    it('owners are unique per store: two processes passing the same owner id do not share a lock', async () => {
      const a = newStore();
      const b = newStore();
      expect(await a.acquireLock('cred', 'same-id', 5_000)).toBe(true);
      expect(await b.acquireLock('cred', 'same-id', 5_000)).toBe(false);
      await b.releaseLock('cred', 'same-id');
      expect(await redis.exists(`${prefix}{cred}:lock`)).toBe(1);
    });

    it('a lock whose TTL ran out is free for the next owner', async () => {
      const store = newStore();
      expect(await store.acquireLock('cred', 'owner-1', 5_000)).toBe(true);
      // Stands in for the TTL running out; the lock-holder test waits out a real one.
      await redis.pexpire(`${prefix}{cred}:lock`, 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await store.acquireLock('cred', 'owner-2', 5_000)).toBe(true);
    });
  });

  describe('waitForUpdate', () => {
    it.each([
      ['set', (s: RedisTokenStore) => s.set('cred', state('token-a'), 30_000)],
      ['delete', async (s: RedisTokenStore) => s.delete('cred')],
      ['releaseLock', (s: RedisTokenStore) => s.releaseLock('cred', 'owner-1')],
    ])('wakes a waiter in another process on %s', async (_name, write) => {
      const writer = newStore();
      const waiter = newStore();
      await writer.set('cred', state('token-old'), 30_000);
      await writer.acquireLock('cred', 'owner-1', 30_000);
      await waiter.acquireLock('cred', 'owner-2', 30_000); // subscribes, as a real waiter does first
      await subscribed(`${prefix}{cred}:updates`, 2); // the writer's (it took a lock too) and the waiter's
      const started = Date.now();
      const woken = waiter.waitForUpdate('cred', 5_000);
      await write(writer);
      await woken;
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('resolves after its timeout when nothing changes, and ignores other keys', async () => {
      const writer = newStore();
      const waiter = newStore();
      const started = Date.now();
      const waiting = waiter.waitForUpdate('cred', 300);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await writer.set('other', state('token-b'), 30_000);
      await expect(waiting).resolves.toBeUndefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('close() wakes every waiter and later calls reject', async () => {
      const store = newStore();
      const waiting = store.waitForUpdate('cred', 60_000);
      await store.close();
      await expect(waiting).resolves.toBeUndefined();
      await expect(store.get('cred')).rejects.toMatchObject({ code: 80000 });
    });
  });

  describe('encryption', () => {
    const key = randomBytes(32);

    it('stores AES-256-GCM ciphertext holding no token, which reads back', async () => {
      const store = newStore({ encryptionKey: key });
      const saved = state('token-secret-value');
      await store.set('cred', saved, 30_000);
      const raw = (await redis.get(`${prefix}{cred}`)) ?? '';
      expect(raw).toMatch(/^tse1:/);
      expect(raw).not.toContain('token-secret-value');
      expect(await store.get('cred')).toEqual(saved);
      await store.set('cred', saved, 30_000);
      expect(await redis.get(`${prefix}{cred}`)).not.toBe(raw); // a fresh IV per write
    });

    it('reads as absent, warning once per kind: a wrong key, a value moved to another key, plaintext, no key', async () => {
      const problems = (logger: ReturnType<typeof recordingLogger>) => logger.lines.map((line) => (line.obj as { problem?: string }).problem);
      const writerLog = recordingLogger();
      const writer = newStore({ encryptionKey: key, logger: writerLog });
      await writer.set('cred', state('token-a'), 30_000);
      await redis.set(`${prefix}{moved}`, (await redis.get(`${prefix}{cred}`)) ?? '');
      expect(await writer.get('moved')).toBeUndefined();
      expect(await writer.get('moved')).toBeUndefined();
      await newStore().set('plain', state('token-p'), 30_000);
      expect(await writer.get('plain')).toBeUndefined();
      expect(problems(writerLog)).toEqual(['decryption failed', 'not encrypted']);

      const otherLog = recordingLogger();
      expect(await newStore({ encryptionKey: randomBytes(32), logger: otherLog }).get('cred')).toBeUndefined();
      expect(await newStore({ logger: otherLog }).get('cred')).toBeUndefined();
      expect(problems(otherLog)).toEqual(['decryption failed', 'encrypted without a key']);
    });
  });

  describe('when Redis cannot be reached', () => {
    it('every method rejects fast with 80000 and the outage is logged once', async () => {
      const logger = recordingLogger();
      const port = await freePort();
      const store = new RedisTokenStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 2_000, logger });
      open.push(store);
      const started = Date.now();
      const calls = [
        store.get('cred'),
        store.set('cred', state('token-a'), 30_000),
        store.delete('cred'),
        store.acquireLock('cred', 'owner', 1_000),
        store.releaseLock('cred', 'owner'),
      ];
      for (const call of calls) await expect(call).rejects.toMatchObject({ code: 80000, name: 'TransportError' });
      for (let i = 0; i < 20; i++) await expect(store.get('cred')).rejects.toMatchObject({ code: 80000 });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(store.available).toBe(false);
      expect(logger.count('warn')).toBe(1);
      await expect(store.waitForUpdate('cred', 10)).resolves.toBeUndefined();
    });
  });

  describe('with a client you own', () => {
    it('uses it, and close() leaves it open', async () => {
      const client = new Redis(redisUrl, { enableOfflineQueue: false, commandTimeout: 500 });
      try {
        const store = new RedisTokenStore({ client, prefix });
        await store.set('cred', state('token-a'), 30_000);
        expect(await store.get('cred')).toMatchObject({ value: { token: 'token-a' } });
        await store.close();
        expect(await client.ping()).toBe('PONG');
      } finally {
        client.disconnect();
      }
    });
  });
});
