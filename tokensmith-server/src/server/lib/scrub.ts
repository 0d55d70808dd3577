import { Buffer } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { redactor } from 'tokensmith';
import type { LogFields, ServerLogger } from '../logger';

/**
 * Keeps configured secrets out of what the server writes. A client can put a secret anywhere it
 * likes (a channel name, a URL, a malformed body); nothing it sends may come back in an error or
 * land in a log line. Message data a client published is data and is served back unchanged.
 */

/** Replaces every configured secret (and its base64 and URL-encoded forms) with `[redacted]`. */
export type Scrubber = (text: string) => string;

/** A scrubber over a fixed list of secrets, their encoded forms worked out once. */
export function createScrubber(secrets: readonly string[]): Scrubber {
  return redactor(secrets);
}

/** Wraps a logger so every message and string field is scrubbed first. */
export function scrubbingLogger(logger: ServerLogger, scrub: Scrubber): ServerLogger {
  const clean = (fields: LogFields | undefined): LogFields | undefined =>
    fields && Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, typeof value === 'string' ? scrub(value) : value]));
  return {
    info: (message, fields) => logger.info(scrub(message), clean(fields)),
    warn: (message, fields) => logger.warn(scrub(message), clean(fields)),
    error: (message, fields) => logger.error(scrub(message), clean(fields)),
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
