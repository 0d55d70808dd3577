import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The path of a request Node's HTTP parser refuses before any route runs, so the refusal can be
 * answered in the envelope of the API the path belongs to. Node hands the refusal only the chunk
 * it failed on (`rawPacket`), which holds the request line only when the head came in one TCP
 * read, and nothing at all for a request timeout. So each connection keeps the start of a request
 * head that did not come whole in one read, and once a head is parsed the parser's message knows
 * its URL.
 */

/** Longest request head kept to find the request line in; a longer line is answered in the default envelope. */
const MAX_HEAD_BYTES = 8 * 1024;
const NEWLINE = 0x0a;

interface HeadState {
  /** The first bytes of a head not yet parsed. */
  head: Buffer | undefined;
  /** A request was dispatched since the last read was seen. */
  dispatched: boolean;
  /** The last read left a message's body unfinished. */
  inBody: boolean;
}

const HEAD = Symbol('requestHead');

/**
 * Node's parser of a served connection, as far as used here: after each read it calls the
 * function at index `kOnExecute`, during which `getCurrentBuffer()` copies the bytes read.
 */
interface NodeParser {
  incoming?: IncomingMessage | null;
  getCurrentBuffer?: () => Buffer;
  [index: number]: unknown;
}

/** A socket of Node's HTTP server: `parser` is set by Node while the connection is served. */
type ServedSocket = Socket & { [HEAD]?: HeadState; parser?: NodeParser | null };

/**
 * Keeps, per connection of `server`, the start of a request head that did not come whole in one
 * read. Node parses reads in C++ and calls back into JavaScript once a read (`kOnExecute`); the
 * hook wraps that callback, so a head that comes whole costs a check, no copy. Where the parser
 * is not Node's, the refused chunk alone is read.
 */
export function trackRequestHeads(server: Server): void {
  server.on('connection', (socket: ServedSocket) => {
    const parser = socket.parser;
    const kOnExecute = (parser?.constructor as { kOnExecute?: unknown } | undefined)?.kOnExecute;
    if (!parser || typeof kOnExecute !== 'number' || typeof parser.getCurrentBuffer !== 'function') return;
    const onExecute = parser[kOnExecute];
    if (typeof onExecute !== 'function') return;
    const state: HeadState = { head: undefined, dispatched: false, inBody: false };
    socket[HEAD] = state;
    parser[kOnExecute] = function (this: unknown, ...args: unknown[]) {
      noteRead(parser, state);
      return (onExecute as (...a: unknown[]) => unknown).apply(this, args);
    };
  });
  server.on('request', (request: IncomingMessage) => {
    const state = (request.socket as ServedSocket)[HEAD];
    if (state) state.dispatched = true;
  });
}

// After the parser read one chunk (before Node acts on the result, a refusal included).
function noteRead(parser: NodeParser, state: HeadState): void {
  const incoming = parser.incoming;
  // Body bytes: the message being received knows its URL.
  const inBody = incoming !== null && incoming !== undefined && !incoming.complete;
  if (state.dispatched || inBody || state.inBody) {
    // The read finished a head, or read body bytes: the next head begins in a later read.
    state.dispatched = false;
    state.inBody = inBody;
    state.head = undefined;
    return;
  }
  if (state.head === undefined) state.head = upToMax((parser.getCurrentBuffer as () => Buffer)());
  else if (state.head.length < MAX_HEAD_BYTES && !state.head.includes(NEWLINE)) {
    state.head = upToMax(Buffer.concat([state.head, (parser.getCurrentBuffer as () => Buffer)()]));
  }
}

// A copy of at most MAX_HEAD_BYTES, so a long read is not held whole per connection.
function upToMax(bytes: Buffer): Buffer {
  return bytes.length <= MAX_HEAD_BYTES ? bytes : Buffer.from(bytes.subarray(0, MAX_HEAD_BYTES));
}

/**
 * The path of the request a parser refusal (`clientError`) on `socket` is about: the URL of the
 * message whose body was being received, else the request line of the head being received (as
 * kept by {@link trackRequestHeads}, or in the refused chunk), else undefined.
 */
export function refusedRequestPath(error: { rawPacket?: unknown }, socket: Socket): string | undefined {
  const served = socket as ServedSocket;
  const incoming = served.parser?.incoming;
  if (incoming && !incoming.complete && incoming.url !== undefined) return pathOfUrl(incoming.url);
  return requestLinePath(served[HEAD]?.head) ?? requestLinePath(error.rawPacket);
}

/** The path of the request line at the start of `packet`, if one is there. */
export function requestLinePath(packet: unknown): string | undefined {
  if (!Buffer.isBuffer(packet)) return undefined;
  const head = packet.subarray(0, MAX_HEAD_BYTES).toString('latin1');
  const match = /^[!-~]+ (\/[^ ?#\r\n]*)/.exec(head);
  return match?.[1];
}

function pathOfUrl(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}
