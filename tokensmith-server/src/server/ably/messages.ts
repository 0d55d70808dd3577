import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { TokensmithError } from 'tokensmith';
import type { WireFormat } from '../lib/wire';
import { permits } from './capability-rules';
import type { HistoryQuery, StoredMessage } from './message-log';
import type { Principal } from './principal';
import type { AblyServerState } from './state';

// Deeper values could not be served back: JSON.stringify and msgpack encoding recurse.
const MAX_NESTING = 64;

/** A message as a publisher sends it (already schema-checked). */
export interface IncomingMessage {
  id?: string;
  name?: string;
  data?: unknown;
  clientId?: string;
  encoding?: string;
  extras?: Record<string, unknown>;
}

/** What a publish answers. */
export interface PublishResponse {
  channel: string;
  messageId: string;
  serials: string[];
}

/**
 * Publishes to a channel: needs `publish` on it (40160). A message clientId must be allowed by the
 * credentials (40012): Basic auth and `*` tokens may name any; a token bound to a clientId may
 * only name its own (and messages without one are stamped with it); an anonymous token may name
 * none. Ids a publisher set are kept (idempotent publishing); others are assigned.
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
  });
  const messageId = randomBytes(9).toString('base64url');
  const timestamp = state.clock.now();
  const stored = incoming.map((message, index): StoredMessage => ({
    ...pick(message),
    id: message.id ?? `${messageId}:${index}`,
    timestamp,
    ...clientIdFor(principal, message.clientId),
  }));
  state.messages.append(channel, stored);
  return { channel, messageId, serials: stored.map((_, index) => `${timestamp}-${messageId}:${index}`) };
}

/** Reads history: needs `history` on the channel (40160). */
export function history(state: AblyServerState, principal: Principal, channel: string, query: HistoryQuery, format: WireFormat): StoredMessage[] {
  requireChannel(channel);
  if (!permits(principal.capability, channel, 'history')) {
    throw new TokensmithError(40160, 'operation not permitted: history on this channel is outside the capability');
  }
  const messages = state.messages.history(channel, query);
  return format === 'json' ? messages.map(binaryAsBase64) : messages;
}

function requireChannel(channel: string): void {
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

function pick(message: IncomingMessage): Omit<StoredMessage, 'id' | 'timestamp'> {
  const { name, data, encoding, extras } = message;
  return {
    ...(name === undefined ? {} : { name }),
    ...(data === undefined ? {} : { data }),
    ...(encoding === undefined ? {} : { encoding }),
    ...(extras === undefined ? {} : { extras }),
  };
}

// JSON cannot carry the binary data a msgpack publisher sent: base64 it and say so in `encoding`.
function binaryAsBase64(message: StoredMessage): StoredMessage {
  if (!(message.data instanceof Uint8Array)) return message;
  return {
    ...message,
    data: Buffer.from(message.data).toString('base64'),
    encoding: message.encoding ? `${message.encoding}/base64` : 'base64',
  };
}

/** Depth of nested arrays/objects in `value`, counted without recursion. */
function nestingDepth(value: unknown): number {
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
