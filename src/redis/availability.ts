import { TransportError } from '../core/errors';
import { silentLogger, type Logger } from '../core/logger';

/**
 * Tracks whether Redis answers, so an outage is logged once when it starts and once when it ends,
 * however many calls fail in between.
 */
export class Availability {
  private up = true;

  constructor(private readonly log: Logger = silentLogger) {}

  /** True unless the last command or connection event failed. */
  get available(): boolean {
    return this.up;
  }

  /** A command succeeded or the connection became ready. */
  succeeded(): void {
    if (this.up) return;
    this.up = true;
    this.log.info({}, 'redis token store reachable again; sharing tokens across processes');
  }

  /** A command or the connection failed for `reason`. */
  failed(reason: string): void {
    if (!this.up) return;
    this.up = false;
    this.log.warn({ reason }, 'redis token store unavailable; each process fetches its own tokens until it is back');
  }
}

/**
 * A short reason for `error` that cannot carry a secret: ioredis errors may hold the command's
 * arguments (a stored token), so only the kind of failure is kept.
 */
export function failureReason(error: unknown): string {
  const { message, code, name } = (error ?? {}) as { message?: unknown; code?: unknown; name?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (/timed out/i.test(text)) return 'command timed out';
  if (text === 'store closed') return 'store closed';
  if (/enableOfflineQueue|Connection is closed|not connected/i.test(text)) return 'not connected';
  if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return code;
  if (name === 'ReplyError') return `reply error ${/^[A-Z]+/.exec(text)?.[0] ?? ''}`.trim();
  return 'unexpected error';
}

/** The error a store call rejects with: a {@link TransportError} naming the operation and the kind of failure. */
export function storeFailure(operation: string, error: unknown): TransportError {
  const reason = failureReason(error);
  const code = reason === 'command timed out' ? 50003 : 80000;
  return new TransportError(code, `redis token store ${operation} failed: ${reason}`);
}
