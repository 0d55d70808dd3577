import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { components } from '../../../../generated/ably';
import { TokensmithError } from 'tokensmith';
import type { WireFormat } from '../lib/wire';
import { checkClientIdLength } from './authenticate';
import { permits } from './capability-rules';
import type { Page } from '../lib/paging';
import type { HistoryQuery, StoredMessage } from './message-log';
import type { Principal } from './principal';
import type { AblyServerState } from './state';

// Deeper values could not be served back: JSON.stringify and msgpack encoding recurse.
export const MAX_NESTING = 64;

/** A message as a publisher sends it (already schema-checked; msgpack may carry binary `data`). */
export type IncomingMessage = components['schemas']['Message'];

/** What a publish answers. */
export type PublishResponse = components['schemas']['PublishResponse'];

/** A channel's details as `GET /channels/{channelId}` answers them. */
export type ChannelDetails = components['schemas']['ChannelDetails'];

/**
 * Publishes to a channel: needs `publish` on it (40160). A message clientId must be allowed by the
 * credentials (40012): Basic auth and `*` tokens may name any; a token bound to a clientId may
 * only name its own (and messages without one are stamped with it); an anonymous token may name
 * none. The combined size of the messages' name, data, clientId and extras may not pass
 * `maxMessageSizeBytes` (40009).
 *
 * Ids a publisher set are kept, and a message whose id was published on the channel within the
 * idempotency window is accepted but not stored again (RSL1k); others get `<messageId>:<index>`.
 * Every stored message gets a serial, unique in the app and increasing.
 *
 * @see https://ably.com/docs/pub-sub/advanced#idempotency
 */
export function publish(state: AblyServerState, principal: Principal, channel: string, body: IncomingMessage | IncomingMessage[]): PublishResponse {
  requireChannel(channel);
  if (!permits(principal.capability, channel, 'publish')) {
    throw new TokensmithError(40160, 'operation not permitted: publish on this channel is outside the capability');
  }
  const incoming = Array.isArray(body) ? body : [body];
  incoming.forEach((message, index) => {
    if (nestingDepth(message) > MAX_NESTING) {
      throw new TokensmithError(40001, `body message ${index} nests deeper than ${MAX_NESTING} levels`);
    }
    if (message.clientId !== undefined) checkClientIdLength(message.clientId, `body message ${index} clientId`, state);
  });
  const sizes = incoming.map(messageSize);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total > state.config.maxMessageSizeBytes) {
    throw new TokensmithError(40009, `messages are ${total} bytes together; the maximum is ${state.config.maxMessageSizeBytes}`);
  }
  const messageId = randomBytes(9).toString('base64url');
  const timestamp = state.clock.now();
  const fresh: StoredMessage[] = [];
  const freshSizes: number[] = [];
  const serials: Array<string | null> = [];
  const keys = state.messages.reserve(incoming.length);
  incoming.forEach((message, index) => {
    const attributed = clientIdFor(principal, message.clientId);
    if (message.id !== undefined && state.idempotency.has(channel, message.id, timestamp)) {
      serials.push(null);
      return;
    }
    const key = keys[index] as number;
    const serial = serialOf(key);
    const id = message.id ?? `${messageId}:${index}`;
    fresh.push({ ...pick(message), id, serial, timestamp, ...attributed });
    state.idempotency.remember(channel, id, timestamp);
    freshSizes.push(sizes[index] ?? 0);
    serials.push(serial);
  });
  state.messages.append(channel, fresh, freshSizes, fresh.map((message) => keyOf(message.serial) as number));
  state.stats.count('messages.all.all.count', fresh.length, timestamp);
  state.stats.count('messages.all.all.data', freshSizes.reduce((sum, size) => sum + size, 0), timestamp);
  return { channel, messageId, serials };
}

/**
 * Channel details: needs `channel-metadata` on the channel (40160), as Ably. A REST-only server
 * has no realtime connections, so the occupancy counts are zero; `isActive` says whether the
 * channel holds messages.
 */
export function channelDetails(state: AblyServerState, principal: Principal, channel: string): ChannelDetails {
  requireChannel(channel);
  if (!permits(principal.capability, channel, 'channel-metadata')) {
    throw new TokensmithError(40160, 'operation not permitted: channel-metadata on this channel is outside the capability');
  }
  const metrics = { connections: 0, publishers: 0, subscribers: 0, presenceConnections: 0, presenceMembers: 0, presenceSubscribers: 0 };
  return { channelId: channel, status: { isActive: state.messages.has(channel), occupancy: { metrics } } };
}

/** Ably's message size: the bytes of name, data (JSON text for objects), clientId and extras. */
export function messageSize(message: IncomingMessage): number {
  const { name, data, clientId, extras } = message;
  let size = Buffer.byteLength(name ?? '') + Buffer.byteLength(clientId ?? '');
  if (extras !== undefined) size += Buffer.byteLength(JSON.stringify(extras));
  if (typeof data === 'string') size += Buffer.byteLength(data);
  else if ((data as unknown) instanceof Uint8Array) size += (data as unknown as Uint8Array).byteLength;
  else if (data !== null && data !== undefined) size += Buffer.byteLength(JSON.stringify(data, binaryLength));
  return size;
}

function binaryLength(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? 'x'.repeat(value.byteLength) : value;
}

/** Reads one page of history: needs `history` on the channel (40160). */
export function history(state: AblyServerState, principal: Principal, channel: string, query: HistoryQuery, format: WireFormat): Page<StoredMessage> {
  requireChannel(channel);
  if (!permits(principal.capability, channel, 'history')) {
    throw new TokensmithError(40160, 'operation not permitted: history on this channel is outside the capability');
  }
  const page = state.messages.history(channel, query);
  return format === 'json' ? { ...page, items: page.items.map(binaryAsBase64) } : page;
}

/** A message serial: its serial number as 16 digits, so serials sort as their numbers do. */
export function serialOf(key: number): string {
  return String(key).padStart(16, '0');
}

/** The serial number of a serial {@link serialOf} wrote; undefined for any other text. */
export function keyOf(serial: string): number | undefined {
  return /^\d{16}$/.test(serial) ? Number(serial) : undefined;
}

export function requireChannel(channel: string): void {
  if (channel === '') throw new TokensmithError(40003, 'params.channelId must not be empty');
}

function clientIdFor(principal: Principal, requested: string | undefined): { clientId?: string } {
  if (requested === '') throw new TokensmithError(40012, 'message clientId must not be empty');
  const bound = principal.clientId;
  if (bound === '*') return requested === undefined ? {} : { clientId: requested };
  if (bound === undefined) {
    if (requested !== undefined) throw new TokensmithError(40012, 'an anonymous token cannot publish with a clientId');
    return {};
  }
  if (requested !== undefined && requested !== bound) {
    throw new TokensmithError(40012, "message clientId does not match the token's clientId");
  }
  return { clientId: bound };
}

function pick(message: IncomingMessage): Omit<StoredMessage, 'id' | 'serial' | 'timestamp'> {
  const { name, data, encoding, extras } = message;
  return {
    ...(name === undefined ? {} : { name }),
    ...(data === undefined ? {} : { data }),
    ...(encoding === undefined ? {} : { encoding }),
    ...(extras === undefined ? {} : { extras }),
  };
}

// JSON cannot carry the binary data a msgpack publisher sent: base64 it and say so in `encoding`.
export function binaryAsBase64(message: StoredMessage): StoredMessage {
  if (!(message.data instanceof Uint8Array)) return message;
  return {
    ...message,
    data: Buffer.from(message.data).toString('base64'),
    encoding: message.encoding ? `${message.encoding}/base64` : 'base64',
  };
}

/** Depth of nested arrays/objects in `value`, counted without recursion. */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null || current instanceof Uint8Array) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_NESTING) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}
