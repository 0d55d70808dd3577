import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The path of a request Node's HTTP parser refuses before any route runs, so the refusal can be
 * answered in the envelope of the API the path belongs to. Node hands the refusal only the chunk
 * it failed on (`rawPacket`), which holds the request line only when the head came in one TCP
 * read, and nothing at all for a request timeout. So each connection keeps the start of the
 * request head it is receiving (the first chunk by reference, copied only while no whole request
 * line has come), and once a head is parsed the parser's message knows its URL.
 */

/** Longest request head kept to find the request line in; a longer line is answered in the default envelope. */
const MAX_HEAD_BYTES = 8 * 1024;
const NEWLINE = 0x0a;

interface HeadState {
  /** The first bytes of the head being received; undefined once it was parsed. */
  head: Buffer | undefined;
}

const HEAD = Symbol('requestHead');

/** A socket of Node's HTTP server: `parser` is set by Node while the connection is served. */
type ServedSocket = Socket & { [HEAD]?: HeadState; parser?: { incoming?: IncomingMessage | null } | null };

/**
 * Keeps, per connection of `server`, the start of the request head being received, until the
 * head is parsed. The data listener makes Node hand each read to JavaScript before its parser
 * (instead of parsing inside C++): one call a read, and one `request` listener call a request.
 */
export function trackRequestHeads(server: Server): void {
  server.on('connection', (socket: ServedSocket) => {
    const state: HeadState = { head: undefined };
    socket[HEAD] = state;
    // Prepended, so it sees each chunk before the parser: a chunk the parser refuses is already here.
    socket.prependListener('data', (chunk: Buffer) => {
      const incoming = socket.parser?.incoming;
      // Body bytes: the message being received knows its URL.
      if (incoming && !incoming.complete) return;
      if (state.head === undefined) state.head = chunk;
      else if (state.head.length < MAX_HEAD_BYTES && !state.head.includes(NEWLINE)) state.head = Buffer.concat([state.head, chunk]).subarray(0, MAX_HEAD_BYTES);
    });
  });
  // The head was parsed: the next bytes on the connection begin the next one.
  server.on('request', (request: IncomingMessage) => {
    const state = (request.socket as ServedSocket)[HEAD];
    if (state) state.head = undefined;
  });
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
