/** A message as stored and served back by history. */
export interface StoredMessage {
  id: string;
  timestamp: number;
  name?: string;
  data?: unknown;
  encoding?: string;
  clientId?: string;
  extras?: Record<string, unknown>;
}

/** Which slice of a channel's history to read. */
export interface HistoryQuery {
  /** Most messages to return. */
  limit: number;
  /** `backwards` (newest first, the default) or `forwards`. */
  direction: 'forwards' | 'backwards';
  /** Earliest timestamp to include, ms. */
  start?: number;
  /** Latest timestamp to include, ms. */
  end?: number;
}

// Per-message bookkeeping beyond its payload (record, ids, array slot), estimated.
const MESSAGE_OVERHEAD_BYTES = 200;

/** A stored message and its estimated size. */
interface Held {
  message: StoredMessage;
  bytes: number;
}

/**
 * Per-channel message logs. Bounded three ways: each channel keeps its newest `maxPerChannel`
 * messages; past `maxChannels` the channel written least recently is dropped; and past `maxBytes`
 * (estimated: payload bytes plus a fixed overhead per message) the oldest messages of the channel
 * written least recently go first.
 */
export class MessageLog {
  private readonly channels = new Map<string, Held[]>();
  private heldBytes = 0;

  constructor(
    private readonly maxChannels: number,
    private readonly maxPerChannel: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** Number of channels holding messages. */
  get channelCount(): number {
    return this.channels.size;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** True when the channel holds messages. */
  has(channel: string): boolean {
    return this.channels.has(channel);
  }

  /** Appends messages to a channel, oldest first; `sizes[i]` is the payload size of `messages[i]`. */
  append(channel: string, messages: readonly StoredMessage[], sizes: readonly number[]): void {
    const log = this.channels.get(channel) ?? [];
    this.channels.delete(channel);
    if (this.channels.size >= this.maxChannels) {
      const leastRecent = this.channels.entries().next();
      if (!leastRecent.done) this.dropChannel(leastRecent.value[0], leastRecent.value[1]);
    }
    messages.forEach((message, index) => {
      const bytes = (sizes[index] ?? 0) + MESSAGE_OVERHEAD_BYTES;
      log.push({ message, bytes });
      this.heldBytes += bytes;
    });
    if (log.length > this.maxPerChannel) {
      for (const dropped of log.splice(0, log.length - this.maxPerChannel)) this.heldBytes -= dropped.bytes;
    }
    this.channels.set(channel, log);
    this.trimToBytes();
  }

  private trimToBytes(): void {
    for (const [channel, log] of this.channels) {
      if (this.heldBytes <= this.maxBytes) return;
      while (log.length > 0 && this.heldBytes > this.maxBytes) this.heldBytes -= (log.shift() as Held).bytes;
      if (log.length === 0) this.channels.delete(channel);
    }
  }

  private dropChannel(channel: string, log: readonly Held[]): void {
    for (const held of log) this.heldBytes -= held.bytes;
    this.channels.delete(channel);
  }

  /** Reads a channel's history. */
  history(channel: string, query: HistoryQuery): StoredMessage[] {
    const log = (this.channels.get(channel) ?? []).map((held) => held.message);
    const inRange = log.filter(
      (message) =>
        (query.start === undefined || message.timestamp >= query.start) &&
        (query.end === undefined || message.timestamp <= query.end),
    );
    const ordered = query.direction === 'forwards' ? inRange : inRange.reverse();
    return ordered.slice(0, query.limit);
  }

  /** Drops every channel. */
  clear(): void {
    this.channels.clear();
    this.heldBytes = 0;
  }
}
