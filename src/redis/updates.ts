import type { Redis } from 'ioredis';

/**
 * Wakes `waitForUpdate` callers when another process writes a key: one subscriber connection,
 * opened on first use, listens to the store's update channel, whose messages are store keys
 * (identity hashes, never secrets). A message missed while disconnected only means the waiter
 * sleeps out its timeout and polls, which the lock protocol already allows for.
 */
export class UpdateListener {
  private subscriber: Redis | undefined;
  private readonly waiters = new Map<string, Set<() => void>>();
  private closed = false;

  constructor(
    private readonly channel: string,
    private readonly open: () => Redis,
  ) {}

  /** Opens the subscriber if not yet open, so it is listening by the time someone waits. */
  start(): void {
    if (this.subscriber || this.closed) return;
    const subscriber = this.open();
    // Connection trouble is reported by the command connection; this one just reconnects.
    subscriber.on('error', () => {});
    subscriber.on('message', (channel: string, key: string) => {
      if (channel === this.channel) this.notify(key);
    });
    subscriber.subscribe(this.channel).catch(() => {});
    this.subscriber = subscriber;
  }

  /** Resolves on the next update of `key` or after `timeoutMs`; never rejects. */
  wait(key: string, timeoutMs: number): Promise<void> {
    this.start();
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      let waiting = this.waiters.get(key);
      if (!waiting) this.waiters.set(key, (waiting = new Set()));
      const set = waiting;
      const done = (): void => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      set.add(done);
    });
  }

  /** Wakes every waiter and closes the subscriber. */
  close(): void {
    this.closed = true;
    for (const key of [...this.waiters.keys()]) this.notify(key);
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  private notify(key: string): void {
    const waiting = this.waiters.get(key);
    if (waiting) for (const done of [...waiting]) done();
  }
}
