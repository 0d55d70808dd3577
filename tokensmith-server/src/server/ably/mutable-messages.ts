import { randomBytes } from 'node:crypto';
import { TokensmithError } from 'tokensmith';
import type { WireFormat } from '../lib/wire';
import { pageOf, type Page, type PageQuery } from '../lib/paging';
import { permits } from './capability-rules';
import type { MessageVersion, StoredMessage } from './message-log';
import { binaryAsBase64, keyOf, MAX_NESTING, messageSize, nestingDepth, requireChannel, serialOf, type IncomingMessage } from './messages';
import type { Principal } from './principal';
import type { AblyServerState } from './state';

/**
 * Mutable messages and annotations over REST (RSL11 get, RSL12/RSL13 update/delete, RSL15 append,
 * RSL14 versions, RSAN annotations): a message is found by its serial; a change keeps the serial,
 * gets a new version serial (greater than every earlier one) and keeps the earlier versions.
 */

/** Wire numbers of message actions (TM5). */
export const MESSAGE_ACTION = { create: 0, update: 1, delete: 2, append: 5 } as const;
/** Wire numbers of annotation actions (TAN2b). */
export const ANNOTATION_ACTION = { create: 0, delete: 1 } as const;
/** Versions one message may have; a change past it is refused (40003). */
export const MAX_VERSIONS = 100;

/** A change as the SDK sends it: the message fields to set, its `action` and the operation in `version`. */
export type MessageChange = IncomingMessage & { action?: number; version?: Omit<MessageVersion, 'serial' | 'timestamp'> };

/** What an update, delete or append answers (UDR). */
export interface UpdateDeleteResult {
  versionSerial: string;
}

/** An annotation as stored and listed (TAN). */
export interface StoredAnnotation {
  id: string;
  action: number;
  serial: string;
  messageSerial: string;
  type: string;
  timestamp: number;
  name?: string;
  clientId?: string;
  count?: number;
  data?: unknown;
  encoding?: string;
  extras?: Record<string, unknown>;
}

/** An annotation as a publisher sends it. */
export type IncomingAnnotation = Partial<Omit<StoredAnnotation, 'serial' | 'timestamp' | 'messageSerial'>> & { messageSerial?: string };

/** The latest version of a message: needs `history` on the channel (40160); an unknown serial is 40400. */
export function getMessage(state: AblyServerState, principal: Principal, channel: string, serial: string, format: WireFormat): StoredMessage {
  requireOperation(principal, channel, 'history');
  const message = state.messages.find(channel, keyFor(serial));
  if (!message) throw notFound();
  return format === 'json' ? binaryAsBase64(message) : message;
}

/** Every version of a message, paged (newest first unless `direction` says forwards). */
export function messageVersions(state: AblyServerState, principal: Principal, channel: string, serial: string, query: PageQuery, format: WireFormat): Page<StoredMessage> {
  requireOperation(principal, channel, 'history');
  const versions = state.messages.versions(channel, keyFor(serial));
  if (versions.length === 0) throw notFound();
  const keyed = versions.map((item, index) => ({ key: index + 1, time: item.version?.timestamp ?? item.timestamp, item: format === 'json' ? binaryAsBase64(item) : item }));
  return pageOf(keyed, query);
}

/**
 * Updates, deletes or appends to a message (`action` 1, 2 or 5). Needs `message-update-any` (or
 * `message-update-own` on one's own message) for an update or append, `message-delete-any` (or
 * `-own`) for a delete, and is refused with 40160 otherwise. An update or delete replaces the
 * fields it sends (name, data, encoding, extras); an append adds its string data to the end.
 */
export function changeMessage(state: AblyServerState, principal: Principal, channel: string, serial: string, change: MessageChange): UpdateDeleteResult {
  requireChannel(channel);
  const key = keyFor(serial);
  const current = state.messages.find(channel, key);
  const action = change.action ?? MESSAGE_ACTION.update;
  if (action !== MESSAGE_ACTION.update && action !== MESSAGE_ACTION.delete && action !== MESSAGE_ACTION.append) {
    throw new TokensmithError(40003, 'body.action must be 1 (update), 2 (delete) or 5 (append)');
  }
  const verb = action === MESSAGE_ACTION.delete ? 'delete' : 'update';
  const own = current?.clientId !== undefined && current.clientId === principal.clientId;
  if (!permits(principal.capability, channel, `message-${verb}-any`) && !(own && permits(principal.capability, channel, `message-${verb}-own`))) {
    throw new TokensmithError(40160, `operation not permitted: message-${verb}-any (or -own, on your own messages) on this channel is outside the capability`);
  }
  if (!current) throw notFound();
  if (nestingDepth(change) > MAX_NESTING) throw new TokensmithError(40001, `body nests deeper than ${MAX_NESTING} levels`);
  const size = messageSize(change);
  if (size > state.config.maxMessageSizeBytes) {
    throw new TokensmithError(40009, `the change is ${size} bytes; the maximum is ${state.config.maxMessageSizeBytes}`);
  }
  const now = state.clock.now();
  const [versionKey] = state.messages.reserve(1) as [number];
  const version: MessageVersion = {
    serial: serialOf(versionKey),
    timestamp: now,
    ...pickDefined(change.version ?? {}, ['clientId', 'description', 'metadata']),
  };
  const next: StoredMessage = action === MESSAGE_ACTION.append
    ? { ...current, data: appended(current.data, change.data), action: MESSAGE_ACTION.update, version }
    : { ...current, ...pickDefined(change, ['name', 'data', 'encoding', 'extras']), action, version };
  if (!state.messages.revise(channel, key, next, size, MAX_VERSIONS)) {
    throw new TokensmithError(40003, `the message already has ${MAX_VERSIONS} versions, the most a local server keeps`);
  }
  return { versionSerial: version.serial };
}

/** Publishes annotations on a message: needs `annotation-publish` (40160); `type` is required (40003). */
export function publishAnnotations(state: AblyServerState, principal: Principal, channel: string, serial: string, body: IncomingAnnotation | IncomingAnnotation[]): void {
  requireOperation(principal, channel, 'annotation-publish');
  if (!state.messages.find(channel, keyFor(serial))) throw notFound();
  const incoming = Array.isArray(body) ? body : [body];
  const now = state.clock.now();
  const keys = state.annotations.reserve(incoming.length);
  const stored = incoming.map((annotation, index): StoredAnnotation => {
    if (typeof annotation.type !== 'string' || annotation.type === '') throw new TokensmithError(40003, `body[${index}].type must name the annotation type`);
    const clientId = principal.clientId === '*' ? annotation.clientId : principal.clientId;
    return {
      ...pickDefined(annotation, ['name', 'count', 'data', 'encoding', 'extras']),
      id: annotation.id ?? `${randomBytes(9).toString('base64url')}:${index}`,
      action: annotation.action === ANNOTATION_ACTION.delete ? ANNOTATION_ACTION.delete : ANNOTATION_ACTION.create,
      serial: serialOf(keys[index] as number),
      messageSerial: serial,
      type: annotation.type,
      timestamp: now,
      ...(clientId === undefined ? {} : { clientId }),
    };
  });
  state.annotations.append(annotationLog(channel, serial), stored, stored.map((annotation) => messageSize(annotation as IncomingMessage)), keys);
}

/** The annotations of a message, paged (newest first by default): needs `history` or `annotation-subscribe`. */
export function listAnnotations(state: AblyServerState, principal: Principal, channel: string, serial: string, query: PageQuery): Page<StoredAnnotation> {
  requireChannel(channel);
  if (!permits(principal.capability, channel, 'history') && !permits(principal.capability, channel, 'annotation-subscribe')) {
    throw new TokensmithError(40160, 'operation not permitted: reading annotations needs history or annotation-subscribe on this channel');
  }
  keyFor(serial);
  return state.annotations.history(annotationLog(channel, serial), query);
}

function annotationLog(channel: string, serial: string): string {
  return `${channel}\u0000${serial}`;
}

function appended(current: unknown, addition: unknown): unknown {
  if (addition === undefined || addition === null) return current;
  if (typeof addition !== 'string' || (current !== undefined && current !== null && typeof current !== 'string')) {
    throw new TokensmithError(40003, 'an append adds string data to a message whose data is a string');
  }
  return `${(current as string | undefined) ?? ''}${addition}`;
}

function requireOperation(principal: Principal, channel: string, operation: string): void {
  requireChannel(channel);
  if (!permits(principal.capability, channel, operation)) {
    throw new TokensmithError(40160, `operation not permitted: ${operation} on this channel is outside the capability`);
  }
}

function keyFor(serial: string): number {
  const key = keyOf(serial);
  if (key === undefined) throw notFound();
  return key;
}

function notFound(): TokensmithError {
  return new TokensmithError(40400, 'no message with this serial on this channel');
}

function pickDefined<T extends object, K extends keyof T>(value: T, names: readonly K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const name of names) if (value[name] !== undefined) picked[name] = value[name];
  return picked;
}
