import { BoundedStore } from '../lib/bounded-store';
import { pageOf, type Keyed, type Page, type PageQuery } from '../lib/paging';

/** A message as stored and served back by history. */
export interface StoredMessage {
  id: string;
  /** Unique within the app and increasing in arrival order (Ably's message serial). */
  serial: string;
  timestamp: number;
  name?: string;
  data?: unknown;
  encoding?: string;
  clientId?: string;
  extras?: Record<string, unknown>;
  /** 0 create (left out when so), 1 update, 2 delete, 5 append: the latest operation on it (TM5). */
  action?: number;
  /** The latest version's serial, time and operation details, once the message was changed (TM2s). */
  version?: MessageVersion;
}

/** Who changed a message, when, and why (TM2s / MOP). */
export interface MessageVersion {
  serial: string;
  timestamp: number;
  clientId?: string;
  description?: string;
  metadata?: Record<string, string>;
}

// Per-message bookkeeping beyond its payload (record, ids, array slot), estimated.
const MESSAGE_OVERHEAD_BYTES = 200;

/** A stored message and its estimated size. */
interface Held<T> extends Keyed<T> {
  bytes: number;
  /** Earlier versions, oldest first, once the item was revised. */
  earlier?: T[];
}

/** Anything a log holds: it has a receive time. */
export interface Timed {
  timestamp: number;
}

/** One channel's messages, oldest first, and their estimated bytes. */
interface ChannelLog<T> {
  readonly items: Array<Held<T>>;
  bytes: number;
}

/**
 * Per-channel message logs. Bounded three ways: each channel keeps its newest `maxPerChannel`
 * messages; past `maxChannels` the channel written least recently is dropped; and past `maxBytes`
 * (estimated: payload bytes plus a fixed overhead per message) the oldest messages of the channel
 * written least recently go first.
 */
export class MessageLog<T extends Timed = StoredMessage> {
  /** In write order: writing to a channel makes it the newest. */
  private readonly channels: BoundedStore<string, ChannelLog<T>>;
  private lastKey = 0;

  constructor(
    maxChannels: number,
    private readonly maxPerChannel: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.channels = new BoundedStore<string, ChannelLog<T>>({
      maxEntries: maxChannels,
      maxBytes,
      sizeOf: (_channel, log) => log.bytes,
      policy: { reclaim: (_channel, log, excess) => dropOldest(log, (freed) => freed < excess) },
    });
  }

  /** Number of channels holding messages. */
  get channelCount(): number {
    return this.channels.size;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.channels.bytes;
  }

  /** True when the channel holds messages. */
  has(channel: string): boolean {
    return this.channels.has(channel);
  }

  /**
   * Reserves `count` serial numbers, increasing across every channel of the log (never reused,
   * even after a reset), for messages about to be appended.
   */
  reserve(count: number): number[] {
    return Array.from({ length: count }, () => ++this.lastKey);
  }

  /**
   * Appends messages to a channel, oldest first; `sizes[i]` is the payload size of `messages[i]`
   * and `keys[i]` its serial number from {@link reserve}.
   */
  append(channel: string, messages: readonly T[], sizes: readonly number[], keys: readonly number[] = this.reserve(messages.length)): void {
    const log = this.channels.get(channel) ?? { items: [], bytes: 0 };
    messages.forEach((message, index) => {
      const bytes = (sizes[index] ?? 0) + MESSAGE_OVERHEAD_BYTES;
      log.items.push({ item: message, key: keys[index] ?? ++this.lastKey, time: message.timestamp, bytes });
      log.bytes += bytes;
    });
    const excess = log.items.length - this.maxPerChannel;
    if (excess > 0) dropOldest(log, (_freed, dropped) => dropped < excess);
    this.fitAlone(log);
    // Re-set: the channel becomes the newest, and others make room, least recently written first.
    if (log.items.length === 0) this.channels.delete(channel);
    else this.channels.set(channel, log);
  }

  /** One page of a channel's history. */
  history(channel: string, query: PageQuery): Page<T> {
    return pageOf(this.channels.get(channel)?.items ?? [], query);
  }

  /** The latest version of the message with serial number `key` on `channel`. */
  find(channel: string, key: number): T | undefined {
    return this.held(channel, key)?.item;
  }

  /** Every version of the message with serial number `key`, oldest first; empty when there is none. */
  versions(channel: string, key: number): T[] {
    const held = this.held(channel, key);
    return held ? [...(held.earlier ?? []), held.item] : [];
  }

  /**
   * Makes `next` the latest version of the message with serial number `key`, keeping the earlier
   * ones (counted in the byte bound). False when there is no such message or it already has
   * `maxVersions` versions.
   */
  revise(channel: string, key: number, next: T, size: number, maxVersions: number): boolean {
    const held = this.held(channel, key);
    if (!held || (held.earlier?.length ?? 0) + 1 >= maxVersions) return false;
    (held.earlier ??= []).push(held.item);
    held.item = next;
    const bytes = size + MESSAGE_OVERHEAD_BYTES;
    held.bytes += bytes;
    const log = this.channels.get(channel) as ChannelLog<T>;
    log.bytes += bytes;
    this.fitAlone(log);
    // In place: revising does not make the channel recently written.
    if (log.items.length === 0) this.channels.delete(channel);
    else this.channels.update(channel, log);
    return true;
  }

  // A channel over the whole byte bound on its own drops its own oldest messages first.
  private fitAlone(log: ChannelLog<T>): void {
    if (log.bytes > this.maxBytes) dropOldest(log, (freed) => log.bytes - freed > this.maxBytes);
  }

  private held(channel: string, key: number): Held<T> | undefined {
    const log = this.channels.get(channel)?.items;
    if (!log) return undefined;
    let low = 0;
    let high = log.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const held = log[middle] as Held<T>;
      if (held.key === key) return held;
      if (held.key < key) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** Drops every channel. */
  clear(): void {
    this.channels.clear();
  }
}

/**
 * Drops a log's oldest messages while `more(freedSoFar, droppedSoFar)` holds and any are left;
 * answers the bytes freed.
 */
function dropOldest<T>(log: ChannelLog<T>, more: (freed: number, dropped: number) => boolean): number {
  let freed = 0;
  let dropped = 0;
  while (dropped < log.items.length && more(freed, dropped)) {
    freed += (log.items[dropped] as Held<T>).bytes;
    dropped += 1;
  }
  log.items.splice(0, dropped);
  log.bytes -= freed;
  return freed;
}
