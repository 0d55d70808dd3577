import { randomBytes } from 'node:crypto';
import { TokensmithError } from 'tokensmith';
import { BoundedStore } from '../lib/bounded-store';
import { pageOf, type Page, type PageQuery } from '../lib/paging';
import { permits } from './capability-rules';
import { MessageLog } from './message-log';
import type { Principal } from './principal';

/** Ably's presence actions as the REST API sends them (numbers, TP2). */
export const PRESENCE_ACTION = { absent: 0, present: 1, enter: 2, leave: 3, update: 4 } as const;

/** A presence message as `GET /channels/{channelId}/presence` and its history answer it. */
export interface PresenceMessage {
  id: string;
  action: number;
  clientId: string;
  connectionId: string;
  timestamp: number;
  data?: unknown;
  encoding?: string;
}

/** A member to seed, as the sandbox's `channels[].presence` fixtures give it. */
export interface PresenceFixture {
  clientId: string;
  data?: unknown;
  encoding?: string;
}

/** Filters of a presence read (RSP3a). */
export interface PresenceFilter {
  clientId?: string;
  connectionId?: string;
}

/**
 * The presence a REST-only server can hold: members seeded by `POST /apps` fixtures (there is no
 * realtime connection to enter with), and the history of their entering. Members and history each
 * have the message log's bounds: past `maxChannels` or `maxBytes` the members of the channel
 * seeded least recently are forgotten.
 */
export class PresenceStore {
  private readonly members: BoundedStore<string, PresenceMessage[]>;
  /** The `enter` events that made the members present. */
  readonly history: MessageLog<PresenceMessage>;

  constructor(maxChannels: number, maxPerChannel: number, maxBytes: number) {
    this.members = new BoundedStore<string, PresenceMessage[]>({ maxEntries: maxChannels, maxBytes, sizeOf: membersBytes });
    this.history = new MessageLog<PresenceMessage>(maxChannels, maxPerChannel, maxBytes);
  }

  /** Estimated bytes held by the members (the history's are `history.bytes`). */
  get bytes(): number {
    return this.members.bytes;
  }

  /** Makes `fixtures` present on `channel` from `now`, all on one connection, as the sandbox does. */
  seed(channel: string, fixtures: readonly PresenceFixture[], now: number): void {
    const connectionId = randomBytes(6).toString('base64url');
    const entered = fixtures.map((fixture, index): PresenceMessage => ({
      id: `${connectionId}:0:${index}`,
      action: PRESENCE_ACTION.enter,
      clientId: fixture.clientId,
      connectionId,
      timestamp: now,
      ...(fixture.data === undefined ? {} : { data: fixture.data }),
      ...(fixture.encoding === undefined ? {} : { encoding: fixture.encoding }),
    }));
    const present = [...(this.members.get(channel) ?? []), ...entered.map((message) => ({ ...message, action: PRESENCE_ACTION.present }))];
    this.members.set(channel, present);
    this.history.append(channel, entered, entered.map((message) => JSON.stringify(message).length));
  }

  /** One page of the members present on `channel`, in the order they entered. */
  present(channel: string, query: PageQuery, filter: PresenceFilter): Page<PresenceMessage> {
    const members = (this.members.get(channel) ?? [])
      .map((member, index) => ({ key: index + 1, time: member.timestamp, item: member }))
      .filter(({ item }) => (filter.clientId === undefined || item.clientId === filter.clientId) && (filter.connectionId === undefined || item.connectionId === filter.connectionId));
    return pageOf(members, { ...query, direction: 'forwards' });
  }

  /** The number of members present on `channel`. */
  count(channel: string): number {
    return this.members.get(channel)?.length ?? 0;
  }

  /** Forgets every member and event. */
  clear(): void {
    this.members.clear();
    this.history.clear();
  }
}

// Per-member bookkeeping beyond its JSON text, estimated.
const MEMBER_OVERHEAD_BYTES = 200;

function membersBytes(channel: string, members: readonly PresenceMessage[]): number {
  let bytes = 2 * channel.length;
  for (const member of members) bytes += MEMBER_OVERHEAD_BYTES + JSON.stringify(member).length;
  return bytes;
}

/** Refuses (40160) a presence read without `presence` or `subscribe` on the channel. */
export function requirePresenceRead(principal: Principal, channel: string): void {
  if (channel === '') throw new TokensmithError(40003, 'params.channelId must not be empty');
  if (!permits(principal.capability, channel, 'presence') && !permits(principal.capability, channel, 'subscribe')) {
    throw new TokensmithError(40160, 'operation not permitted: reading presence needs presence or subscribe on this channel');
  }
}
