import { renewLockWhileFetching } from './lock-renewal';
import type { Logger } from './logger';
import { sleep } from './retry';
import { monotonicMs } from './telemetry';
import type { TokenLike, TokenState, TokenStore } from './store';
import type { StoreSyncKit } from './store-key';
import type { LockOptions } from './token-manager-options';

/** TTL given to the store for a token that does not expire: a day, Ably's longest token life. */
export const NO_EXPIRY_STORE_TTL_MS = 86_400_000;

/** What a manager gives its store's {@link StoreSyncKit.share}. */
export interface StoreSync<T extends TokenLike> {
  store: TokenStore;
  /** The store key, or a promise of it (a rejection surfaces on first use). */
  key: string | Promise<string>;
  /** Lock TTL (renewed every third of it while fetching), polling, and how long a waiter waits for a live holder. */
  lock: Required<LockOptions>;
  log: Logger;
  now(): number;
  /** Fetches a token from the provider, retries included. */
  fetch(): Promise<TokenState<T>>;
  /** True when a stored state may be used instead of fetching. */
  accept(state: TokenState<T>): boolean;
  /** False once the manager was stopped (replaced): it then writes nothing to the store. */
  active(): boolean;
  /** Hears that this process waited on another's lock, how long (monotonic ms) and how the wait ended. */
  waited?(durationMs: number, lock: 'token-landed' | 'lock-taken' | 'gave-up'): void;
}

/** A {@link StoreSync} with its key resolved and this manager's lock owner id. */
type KeyedSync<T extends TokenLike> = StoreSync<T> & { key: string; owner: string };

/**
 * {@link StoreSyncKit.share}: binds a manager to its store with a fresh lock owner id; the key, if
 * a promise, is marked handled so a rejection surfaces on first use rather than as an unhandled
 * rejection.
 */
export function shareThroughStore<T extends TokenLike>(sync: StoreSync<T>): () => Promise<TokenState<T>> {
  if (typeof sync.key !== 'string') sync.key.catch(() => undefined);
  const keyed = { ...sync, owner: lockOwnerId() } as StoreSync<T> & { owner: string };
  return () => acquireThroughStore(keyed);
}

function lockOwnerId(): string {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return webCrypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Gets a token through the store: use a stored one if acceptable; otherwise, if the store has
 * locks, let one lock holder fetch (renewing its short lock meanwhile) and publish while others
 * poll the store; a released or lapsed lock lets the next poller take over. A waiter gives up on
 * the lock after `maxWaitMs` (the longest a live holder's fetch can take) and fetches itself.
 * Without locks: fetch, then publish.
 */
async function acquireThroughStore<T extends TokenLike>(setup: StoreSync<T> & { owner: string }): Promise<TokenState<T>> {
  if (typeof setup.key !== 'string') setup.key = await setup.key;
  const sync = setup as KeyedSync<T>;
  const { maxWaitMs, pollMinMs, pollMaxMs } = sync.lock;
  const cached = await read(sync);
  if (cached) return cached;
  if (!sync.store.acquireLock) return fetchAndPublish(sync);

  const startedAt = sync.now();
  const waitStartedAt = monotonicMs();
  const waited = (lock: 'token-landed' | 'lock-taken' | 'gave-up') => sync.waited?.(monotonicMs() - waitStartedAt, lock);
  for (let round = 0; ; round++) {
    if (await tryLock(sync)) {
      if (round > 0) waited('lock-taken');
      return fetchHoldingLock(sync);
    }
    const waitedMs = sync.now() - startedAt;
    if (waitedMs >= maxWaitMs) {
      sync.log.warn({ key: sync.key, waitedMs }, 'token store lock stayed busy; fetching without it');
      waited('gave-up');
      return fetchAndPublish(sync);
    }
    const delayMs = Math.min(pollMaxMs, pollMinMs * 2 ** round, maxWaitMs - waitedMs);
    await waitForUpdate(sync, delayMs);
    const landed = await read(sync);
    if (landed) {
      waited('token-landed');
      return landed;
    }
  }
}

async function fetchHoldingLock<T extends TokenLike>(sync: KeyedSync<T>): Promise<TokenState<T>> {
  const stopRenewing = renewLockWhileFetching({ store: sync.store, key: sync.key, owner: sync.owner, ttlMs: sync.lock.ttlMs, log: sync.log });
  try {
    // Another process may have published between our read and our lock.
    const landed = await read(sync);
    return landed ?? (await fetchAndPublish(sync));
  } finally {
    stopRenewing();
    await sync.store.releaseLock?.(sync.key, sync.owner).catch((err: unknown) => {
      sync.log.warn({ key: sync.key, err }, 'token store releaseLock failed; the lock will lapse at its TTL');
    });
  }
}

async function fetchAndPublish<T extends TokenLike>(sync: KeyedSync<T>): Promise<TokenState<T>> {
  const state = await sync.fetch();
  const ttlMs = state.expiresAt === undefined ? NO_EXPIRY_STORE_TTL_MS : Math.ceil(state.expiresAt - sync.now());
  if (ttlMs > 0 && sync.active()) {
    await sync.store.set(sync.key, state, ttlMs).catch((err: unknown) => {
      sync.log.warn({ key: sync.key, err }, 'token store set failed; other processes will fetch their own');
    });
  }
  return state;
}

async function read<T extends TokenLike>(sync: KeyedSync<T>): Promise<TokenState<T> | undefined> {
  try {
    const state = await sync.store.get<T>(sync.key);
    return state && sync.accept(state) ? state : undefined;
  } catch (err) {
    sync.log.warn({ key: sync.key, err }, 'token store get failed; fetching directly');
    return undefined;
  }
}

async function tryLock<T extends TokenLike>(sync: KeyedSync<T>): Promise<boolean> {
  try {
    return (await sync.store.acquireLock?.(sync.key, sync.owner, sync.lock.ttlMs)) ?? true;
  } catch (err) {
    sync.log.warn({ key: sync.key, err }, 'token store acquireLock failed; fetching without the lock');
    return true;
  }
}

async function waitForUpdate<T extends TokenLike>(sync: KeyedSync<T>, delayMs: number): Promise<void> {
  if (!sync.store.waitForUpdate) return sleep(delayMs);
  try {
    await sync.store.waitForUpdate(sync.key, delayMs);
  } catch (err) {
    sync.log.warn({ key: sync.key, err }, 'token store waitForUpdate failed; polling instead');
    await sleep(delayMs);
  }
}
