import { Buffer } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { redactor } from 'tokensmith';
import type { ServerLogger } from '../logger';

/**
 * Keeps configured secrets out of what the server writes. A client can put a secret anywhere it
 * likes (a channel name, a URL, a malformed body); nothing it sends may come back in an error or
 * land in a log line. Message data a client published is data and is served back unchanged.
 */

/** Replaces every configured secret (and its base64 and URL-encoded forms) with `[redacted]`. */
export type Scrubber = (text: string) => string;

/**
 * A scrubber over the secrets `secrets()` answers, their encoded forms worked out again only when
 * it answers a different list object (provisioned apps add secrets).
 */
export function createScrubber(secrets: () => readonly string[]): Scrubber {
  let list: readonly string[] | undefined;
  let scrub: Scrubber = (text) => text;
  return (text) => {
    const current = secrets();
    if (current !== list) {
      list = current;
      scrub = redactor(current);
    }
    return scrub(text);
  };
}

/**
 * A global `onSend` hook scrubbing JSON and text error bodies (status >= 400) of every route,
 * the Metquay plugin's included: a last line of defence behind messages that never quote input.
 */
export function installErrorBodyScrubbing(app: FastifyInstance, scrub: Scrubber): void {
  // Callback style, not async: it runs on every response, and most pass through untouched.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode < 400) return done(null, payload);
    done(null, scrubbedBody(reply.getHeader('content-type'), payload, scrub));
  });
}

function scrubbedBody(contentType: unknown, payload: unknown, scrub: Scrubber): unknown {
  const type = String(contentType ?? '');
  if (!type.includes('json') && !type.startsWith('text/')) return payload;
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
  if (text === undefined) return payload;
  const scrubbed = scrub(text);
  return scrubbed === text ? payload : scrubbed;
}

/**
 * `logger` with every message and string field passed through `scrub`, and errors reduced to
 * `{ name, code, statusCode, message }` (scrubbed), as tokensmith's `createRedactingLogger` does,
 * but with the scrubber's encoded forms worked out once rather than on every call: the request
 * log calls it for every request. Without a logger, one whose calls do nothing.
 */
export function scrubbingLogger(logger: ServerLogger | undefined, scrub: Scrubber): ServerLogger {
  if (!logger) return { debug: noop, info: noop, warn: noop, error: noop };
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return scrub(value);
    if (value instanceof Error) {
      const { code, statusCode } = value as { code?: unknown; statusCode?: unknown };
      return { name: value.name, code, statusCode, message: scrub(value.message) };
    }
    return value;
  };
  const emit = (level: keyof ServerLogger & ('debug' | 'info' | 'warn' | 'error')) => (fields: object, message?: string) => {
    const out: Record<string, unknown> = {};
    for (const key in fields) out[key] = clean((fields as Record<string, unknown>)[key]);
    logger[level](out, message === undefined ? undefined : scrub(message));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

const noop = (): void => {};
