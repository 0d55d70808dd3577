import type { FastifyInstance } from 'fastify';
import type { ServerClock } from '../clock';
import { BoundedStore } from '../lib/bounded-store';
import type { Scrubber } from '../lib/scrub';
import type { ServerLogger } from '../logger';
import type { RequestLogEntry } from './types';

// Per-entry bookkeeping beyond its strings (record, numbers, slot), estimated.
const ENTRY_OVERHEAD_BYTES = 120;

/** Default byte bound of the request log: paths come from the network, up to Node's header limit each. */
export const DEFAULT_REQUEST_LOG_BYTES = 4 * 1024 * 1024;

/** The newest `capacity` requests (and at most `maxBytes`, estimated), oldest first. */
export class RequestLog {
  private readonly entries: BoundedStore<number, RequestLogEntry>;
  private nextId = 0;

  constructor(capacity: number, maxBytes = DEFAULT_REQUEST_LOG_BYTES) {
    this.entries = new BoundedStore<number, RequestLogEntry>({
      maxEntries: capacity,
      maxBytes,
      sizeOf: (_id, entry) => ENTRY_OVERHEAD_BYTES + 2 * (entry.method.length + entry.path.length),
    });
  }

  /** Number of entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.entries.bytes;
  }

  /** Appends an entry, dropping the oldest past either bound. */
  add(entry: RequestLogEntry): void {
    this.entries.addAbsent(this.nextId++, entry);
  }

  /** A copy of the entries, oldest first. */
  list(): RequestLogEntry[] {
    return this.entries.values().map((entry) => ({ ...entry }));
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
  }
}

/** The path of a request URL, without its query string (which may carry credentials). */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

/** True for the test controls' own paths, which are neither logged nor fault-injected. */
export function isAdminPath(path: string): boolean {
  return path === '/_admin' || path.startsWith('/_admin/') || path.includes('/_admin/');
}

/** Records one answered request: method, URL as received, status, duration in ms. */
export type RequestRecorder = (method: string, url: string, status: number, durationMs: number) => void;

/**
 * A global `onResponse` hook handing every request (the Metquay plugin's too) to `record` (see
 * {@link requestRecorder}). Install it only when a request log or request lines are wanted.
 */
export function installRequestLog(app: FastifyInstance, record: RequestRecorder): void {
  app.addHook('onResponse', (request, reply, done) => {
    record(request.method, request.url, reply.statusCode, Math.round(reply.elapsedTime * 10) / 10);
    done();
  });
}

/**
 * Records one answered request: with `logger`, an `info` line of method, path (query dropped,
 * secrets scrubbed), status and duration in ms; with `log`, an entry there unless the path is the
 * test controls' own. The request log hook and the token fast lane share it.
 */
export function requestRecorder(options: {
  log: RequestLog | undefined;
  logger: ServerLogger | undefined;
  clock: ServerClock;
  scrub: Scrubber;
}): RequestRecorder {
  const { log, logger, clock, scrub } = options;
  return (method, url, status, durationMs) => {
    const path = scrub(pathOf(url));
    logger?.info({ method, path, status, durationMs }, 'request');
    if (log && !isAdminPath(path)) log.add({ method, path, status, durationMs, at: clock.now() });
  };
}
