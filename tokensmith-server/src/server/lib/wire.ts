import { Buffer } from 'node:buffer';
import { decode, encode } from '@msgpack/msgpack';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokensmithError } from 'tokensmith';

/**
 * The two encodings the Ably side speaks. Requests: `Content-Type: application/json` or
 * `application/x-msgpack`. Responses: msgpack when `format=msgpack` or when `Accept` prefers it
 * (the official SDK's default), JSON otherwise. Content types are sent without parameters because
 * the official SDK matches `application/json` exactly when it reads an error body.
 */

/** A body encoding. */
export type WireFormat = 'json' | 'msgpack';

const MSGPACK = 'application/x-msgpack';
const JSON_TYPE = 'application/json';

/** The encoding the client asked for: `format` query first, then `Accept` preference. */
export function responseFormat(request: FastifyRequest): WireFormat {
  const query = request.query as Record<string, unknown> | undefined;
  const format = query?.['format'];
  if (format === 'msgpack') return 'msgpack';
  if (format === 'json') return 'json';
  return acceptedFormat(request.headers.accept);
}

/** The encoding an `Accept` header prefers: msgpack only when it ranks above JSON. */
export function acceptedFormat(accept: string | undefined): WireFormat {
  if (typeof accept !== 'string') return 'json';
  let msgpack = 0;
  let json = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2)) || 0;
    if (type === MSGPACK) msgpack = Math.max(msgpack, q);
    else if (type === JSON_TYPE || type === '*/*' || type === 'application/*') json = Math.max(json, q);
  }
  return msgpack > json ? 'msgpack' : 'json';
}

/** Options of {@link sendWire}. */
export interface SendWireOptions {
  /**
   * The value may hold client data with binary (`Uint8Array`) values somewhere inside, which JSON
   * then carries as base64 text instead of index-keyed objects. Off by default: a replacer runs on
   * every value of every body, and only stored messages can hold bytes.
   */
  mayHoldBinary?: boolean;
}

/** Encodes `value` in `format` and sends it with `status` and an exact content type. */
export function sendWire(reply: FastifyReply, status: number, value: unknown, format: WireFormat, options?: SendWireOptions): FastifyReply {
  const body =
    format === 'msgpack'
      ? encodeMsgpack(value)
      : // A Buffer, not a string: Fastify would append `; charset=utf-8` to a string's content type.
        Buffer.from(options?.mayHoldBinary ? JSON.stringify(value, binaryAsBase64) : JSON.stringify(value), 'utf8');
  return reply.code(status).header('content-type', wireContentType(format)).send(body);
}

/** The exact `Content-Type` a body in `format` is sent with. */
export function wireContentType(format: WireFormat): string {
  return format === 'msgpack' ? MSGPACK : JSON_TYPE;
}

/** `value` as msgpack, `undefined` fields left out (as JSON leaves them out). */
export function encodeMsgpack(value: unknown): Buffer {
  return toBuffer(encode(value, { ignoreUndefined: true }));
}

/**
 * A request body as the msgpack parser decodes it (one whole value, no bytes after it). Throws
 * when the body is not that. The token fast lane decodes with this too, so both see one value.
 */
export function decodeMsgpackBody(body: Uint8Array): unknown {
  return decode(body);
}

/** Registers the `application/x-msgpack` body parser; undecodable bodies are 400 (40001). */
export function addMsgpackParser(app: FastifyInstance): void {
  app.addContentTypeParser(MSGPACK, { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, decodeMsgpackBody(body as Buffer));
    } catch {
      done(new TokensmithError(40001, 'request body is not valid msgpack'), undefined);
    }
  });
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function binaryAsBase64(this: unknown, _key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}
