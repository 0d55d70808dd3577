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

/**
 * Per-channel message logs. Bounded twice: each channel keeps its newest `maxPerChannel`
 * messages, and past `maxChannels` the channel written least recently is dropped.
 */
export class MessageLog {
  private readonly channels = new Map<string, StoredMessage[]>();

  constructor(
    private readonly maxChannels: number,
    private readonly maxPerChannel: number,
  ) {}

  /** Number of channels holding messages. */
  get channelCount(): number {
    return this.channels.size;
  }

  /** Appends messages to a channel, oldest first. */
  append(channel: string, messages: readonly StoredMessage[]): void {
    const log = this.channels.get(channel) ?? [];
    this.channels.delete(channel);
    if (this.channels.size >= this.maxChannels) {
      const leastRecent = this.channels.keys().next();
      if (!leastRecent.done) this.channels.delete(leastRecent.value);
    }
    log.push(...messages);
    if (log.length > this.maxPerChannel) log.splice(0, log.length - this.maxPerChannel);
    this.channels.set(channel, log);
  }

  /** Reads a channel's history. */
  history(channel: string, query: HistoryQuery): StoredMessage[] {
    const log = this.channels.get(channel) ?? [];
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
  }
}
