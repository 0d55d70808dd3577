import type { Logger } from './logger';
import type { TokenStore } from './store';

/** What {@link renewLockWhileFetching} renews. */
export interface HeldLock {
  store: TokenStore;
  key: string;
  owner: string;
  ttlMs: number;
  log: Logger;
}

/**
 * Keeps a held fetch lock alive: every `ttlMs / 3` it extends the lock to `ttlMs` from now,
 * compare-and-set on the owner, so the lock lapses within `ttlMs` of this process dying and never
 * while it lives. Stops when the lock turns out lost (it lapsed and was taken over: the fetch goes
 * on and its result is published as usual) or when the returned function is called.
 */
export function renewLockWhileFetching(lock: HeldLock): () => void {
  const { store, key, owner, ttlMs, log } = lock;
  const extend = store.extendLock?.bind(store) ?? store.acquireLock?.bind(store);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (): void => {
    if (stopped || !extend) return;
    timer = setTimeout(renew, Math.max(1, Math.floor(ttlMs / 3)));
    // A renewal alone must not keep a process alive; the fetch it guards does that.
    (timer as { unref?: () => void }).unref?.();
  };
  const renew = (): void => {
    extend!(key, owner, ttlMs).then(
      (held) => {
        if (held) return schedule();
        if (!stopped) log.warn({ key }, 'token store lock lapsed during a slow fetch; another process may fetch too');
      },
      (err: unknown) => {
        log.warn({ key, err }, 'token store lock renewal failed; retrying at the next interval');
        schedule();
      },
    );
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
