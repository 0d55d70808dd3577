import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import { Availability, failureReason, storeFailure } from './availability';
import type { ResolvedRedisTokenStoreOptions } from './options';
import { defineStoreCommands, type StoreCommands } from './scripts';

const NOT_CONNECTED = 'not connected';
const TIMED_OUT = 'command timed out';

/** Rejects a command without sending it, while Redis recently timed out. */
class SkippedWhileSlow extends Error {
  constructor() {
    super(`${TIMED_OUT} recently; not retried yet`);
  }
}

/**
 * The store's command connection: commands reject quickly instead of queueing while Redis is
 * away (no offline queue, a deadline per command), reconnects run in the background with capped
 * exponential backoff, and every failure is reported to {@link Availability}, which logs once per
 * outage.
 */
export class Connection {
  readonly client: (Redis | Cluster) & StoreCommands;
  /** True for an ioredis `Cluster`: updates then go over sharded pub/sub. */
  readonly isCluster: boolean;
  private readonly owned: boolean;
  private everReady: boolean;
  private failedBeforeReady = false;
  private closed = false;
  private firstConnection: Promise<void> | undefined;
  private settleFirst: ((error?: Error) => void) | undefined;
  /** While `Date.now()` is below this, commands are not sent: Redis was too slow a moment ago. */
  private slowUntil = 0;

  constructor(
    private readonly options: ResolvedRedisTokenStoreOptions,
    private readonly availability: Availability,
  ) {
    this.owned = options.client === undefined;
    const client = options.client ?? new Redis(options.url, ownClientOptions(options));
    this.client = defineStoreCommands(client);
    this.isCluster = client.isCluster;
    this.everReady = client.status === 'ready';
    client.on('ready', this.onReady);
    client.on('error', this.onError);
    client.on('close', this.onClose);
  }

  /**
   * Runs one command: waits for the first connection (up to `connectTimeoutMs`), then gives the
   * command `commandTimeoutMs`. After a timeout, commands reject unsent for `slowRetryMs`, so a
   * slow Redis costs a caller one timeout, not one per command. Rejects with a
   * `TransportError` naming `operation`.
   */
  async run<R>(operation: string, command: (client: (Redis | Cluster) & StoreCommands) => Promise<R>): Promise<R> {
    try {
      if (Date.now() < this.slowUntil) throw new SkippedWhileSlow();
      await this.ready();
      const result = await withDeadline(command(this.client), this.options.commandTimeoutMs);
      this.availability.succeeded();
      return result;
    } catch (error) {
      const reason = failureReason(error);
      if (reason === TIMED_OUT && !(error instanceof SkippedWhileSlow)) this.slowUntil = Date.now() + this.options.slowRetryMs;
      if (!this.closed) this.availability.failed(reason);
      throw storeFailure(operation, error);
    }
  }

  /**
   * A second connection for pub/sub: it may queue while offline, since no caller waits on it. For
   * a cluster, a second `Cluster` with sharded subscribers (one connection per shard that holds a
   * subscribed channel).
   */
  duplicateForSubscribing(): Redis | Cluster {
    const client = this.client;
    if (client.isCluster) {
      return (client as Cluster).duplicate([], { enableOfflineQueue: true, shardedSubscribers: true, lazyConnect: false });
    }
    return (client as Redis).duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      commandTimeout: undefined,
      autoResubscribe: true,
      lazyConnect: false,
      disconnectTimeout: this.options.commandTimeoutMs,
    });
  }

  /** Stops listening; closes the client when the store opened it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.settleFirst?.(new Error(NOT_CONNECTED));
    this.client.off('ready', this.onReady);
    this.client.off('close', this.onClose);
    if (!this.owned) {
      this.client.off('error', this.onError);
      return;
    }
    // Keep the error listener: a late socket error must not be an unhandled 'error' event.
    await withDeadline(this.client.quit(), this.options.commandTimeoutMs).catch(() => {});
    this.client.disconnect();
  }

  private ready(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store closed'));
    const status = this.client.status;
    if (status === 'ready') return Promise.resolve();
    if (this.everReady || this.failedBeforeReady || status === 'end') return Promise.reject(new Error(NOT_CONNECTED));
    if (status === 'wait') this.client.connect().catch(() => {});
    this.firstConnection ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.settleFirst?.(new Error(NOT_CONNECTED)), this.options.connectTimeoutMs);
      this.settleFirst = (error) => {
        clearTimeout(timer);
        this.settleFirst = undefined;
        if (error) {
          this.failedBeforeReady = true;
          reject(error);
        } else resolve();
      };
    });
    return this.firstConnection;
  }

  private readonly onReady = (): void => {
    this.everReady = true;
    this.slowUntil = 0;
    this.settleFirst?.();
    this.availability.succeeded();
  };

  private readonly onError = (error: unknown): void => {
    if (this.closed) return;
    this.settleFirst?.(new Error(NOT_CONNECTED));
    this.availability.failed(failureReason(error));
  };

  private readonly onClose = (): void => {
    if (this.closed) return;
    this.settleFirst?.(new Error(NOT_CONNECTED));
    this.availability.failed('connection closed');
  };
}

function ownClientOptions(options: ResolvedRedisTokenStoreOptions): RedisOptions {
  return {
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    // How long close() lets a half-closed socket linger (ioredis default 2 s).
    disconnectTimeout: options.commandTimeoutMs,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => reconnectDelayMs(attempt, options.reconnectMaxDelayMs),
  };
}

/** Capped exponential backoff with jitter between reconnect attempts (attempt counts from 1). */
export function reconnectDelayMs(attempt: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, 50 * 2 ** Math.min(attempt - 1, 16));
  return Math.max(1, Math.round(ceiling * (0.5 + random() / 2)));
}

function withDeadline<R>(promise: Promise<R>, timeoutMs: number): Promise<R> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(TIMED_OUT)), timeoutMs);
  });
  promise.catch(() => {});
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
