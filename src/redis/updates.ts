import type { Cluster, Redis } from 'ioredis';

/**
 * Wakes `waitForUpdate` callers when another process writes a key: one subscriber connection,
 * opened on first use, listens to the update channel of every key this process locks or waits on
 * (a handful: one per credential). On a single node it uses `SUBSCRIBE`; on a cluster `SSUBSCRIBE`
 * (sharded pub/sub), where ioredis keeps one subscriber per shard and re-subscribes after a
 * failover or slot move. A message missed meanwhile only means the waiter sleeps out its timeout
 * and polls, which the lock protocol already allows for.
 */
export class UpdateListener {
  private subscriber: Redis | Cluster | undefined;
  private readonly channels = new Set<string>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private closed = false;

  constructor(
    private readonly sharded: boolean,
    private readonly open: () => Redis | Cluster,
  ) {}

  /** Subscribes to `channel` if not yet, so it is listening by the time someone waits. */
  listen(channel: string): void {
    if (this.closed || this.channels.has(channel)) return;
    this.channels.add(channel);
    const subscriber = this.connection();
    const subscribing = this.sharded ? subscriber.ssubscribe(channel) : subscriber.subscribe(channel);
    // Not listening only costs polls; let the next listen() try again.
    subscribing.catch(() => this.channels.delete(channel));
  }

  /** Resolves on the next message on `channel` or after `timeoutMs`; never rejects. */
  wait(channel: string, timeoutMs: number): Promise<void> {
    this.listen(channel);
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      let waiting = this.waiters.get(channel);
      if (!waiting) this.waiters.set(channel, (waiting = new Set()));
      const set = waiting;
      const done = (): void => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(channel) === set) this.waiters.delete(channel);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      set.add(done);
    });
  }

  /** Wakes every waiter and closes the subscriber. */
  close(): void {
    this.closed = true;
    for (const channel of [...this.waiters.keys()]) this.notify(channel);
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  private connection(): Redis | Cluster {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.open();
    // Connection trouble is reported by the command connection; this one just reconnects.
    subscriber.on('error', () => {});
    subscriber.on(this.sharded ? 'smessage' : 'message', (channel: string) => this.notify(channel));
    this.subscriber = subscriber;
    return subscriber;
  }

  private notify(channel: string): void {
    const waiting = this.waiters.get(channel);
    if (waiting) for (const done of [...waiting]) done();
  }
}
