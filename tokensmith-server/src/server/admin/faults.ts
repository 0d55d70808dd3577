import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { codeForStatus, errorForCode } from 'tokensmith';
import { sendAblyError } from '../lib/ably-errors';
import { BoundedStore } from '../lib/bounded-store';
import { sendWire } from '../lib/wire';
import { isAdminPath, pathOf } from './request-log';
import type { FaultSpec, PendingFault } from './types';

const MAX_PENDING = 100;
/** Default byte bound of the pending faults (their strings come from the network). */
export const DEFAULT_FAULT_BYTES = 1024 * 1024;
// Per-fault bookkeeping beyond its strings (record, numbers, slot), estimated.
const FAULT_OVERHEAD_BYTES = 200;

/** Faults waiting to be applied, first added first. */
export class FaultInjector {
  private readonly pending: BoundedStore<string, PendingFault>;
  private nextId = 1;

  constructor(maxBytes = DEFAULT_FAULT_BYTES) {
    this.pending = new BoundedStore<string, PendingFault>({ maxEntries: MAX_PENDING, maxBytes, sizeOf: faultBytes });
  }

  /** Number of faults still pending. */
  get size(): number {
    return this.pending.size;
  }

  /** Estimated bytes held; at most `maxBytes`. */
  get bytes(): number {
    return this.pending.bytes;
  }

  /** Queues a fault; returns its id. Past 100 pending faults (or the byte bound) the oldest are dropped. */
  add(spec: FaultSpec): string {
    const id = `fault-${this.nextId++}`;
    this.pending.set(id, { ...spec, id, remaining: spec.count ?? 1 });
    return id;
  }

  /**
   * Takes one use of the first fault matching the request, if any. `operation` names the
   * operation the request was routed to (its `operationId` and its `"METHOD /template"` key), for
   * faults given by operation.
   */
  take(method: string, path: string, operation?: readonly string[]): PendingFault | undefined {
    const fault = this.pending.find((candidate) => matches(candidate, method, path, operation));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.pending.delete(fault.id);
    return fault;
  }

  /** Copies of the pending faults. */
  list(): PendingFault[] {
    return this.pending.values().map((fault) => ({ ...fault }));
  }

  /** Drops every pending fault. */
  clear(): void {
    this.pending.clear();
  }
}

function faultBytes(id: string, fault: PendingFault): number {
  let chars = id.length;
  for (const text of [fault.path, fault.operation, fault.method, fault.message]) chars += text?.length ?? 0;
  return FAULT_OVERHEAD_BYTES + 2 * chars;
}

function matches(fault: FaultSpec, method: string, path: string, operation: readonly string[] | undefined): boolean {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false;
  if (fault.operation !== undefined && !operation?.includes(fault.operation)) return false;
  if (fault.path === undefined) return fault.operation !== undefined;
  return fault.path.endsWith('*') ? path.startsWith(fault.path.slice(0, -1)) : path === fault.path;
}

/** How a server other than the Ably and Metquay one answers an injected fault, and names operations. */
export interface FaultAnswering {
  /** Sends the fault's error in the API's own envelope. */
  answer(reply: FastifyReply, status: number, message: string): unknown;
  /** The names a request's operation goes by (`operationId`, `"METHOD /template"`), if routed to one. */
  operationOf?(request: FastifyRequest): readonly string[] | undefined;
}

/** True for paths served by the Metquay plugin, whose errors are `{ code, message }`. */
export function isMetquayPath(path: string): boolean {
  return path === '/api/v1' || path.startsWith('/api/v1/');
}

/**
 * A global `onRequest` hook applying queued faults to every route but the test controls: waits
 * `delayMs`, then (with a `status`) answers in the envelope of the API the path belongs to, or
 * through `answering` when given (the spec server's).
 */
export function installFaultInjection(app: FastifyInstance, faults: FaultInjector, answering?: FaultAnswering): void {
  app.addHook('onRequest', async (request, reply) => {
    if (faults.size === 0) return;
    const path = pathOf(request.url);
    if (isAdminPath(path)) return;
    const fault = faults.take(request.method, path, answering?.operationOf?.(request));
    if (!fault) return;
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.status === undefined) return;
    if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
    const message = fault.message ?? 'injected fault';
    if (answering) return answering.answer(reply, fault.status, message);
    if (isMetquayPath(path)) {
      return sendWire(reply, fault.status, { code: fault.status, message }, 'json');
    }
    return sendAblyError(request, reply, errorForCode(fault.code ?? codeForStatus(fault.status), message, { statusCode: fault.status }));
  });
}
