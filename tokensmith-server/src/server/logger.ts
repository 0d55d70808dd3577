import type { Logger } from 'tokensmith';

/**
 * The server logs through tokensmith's one logger shape, pino's `(fields, message)`
 * ({@link Logger}), so a pino instance, Fastify's logger or {@link streamLogger} drops in. Lines
 * name methods, paths, statuses and rule names; never a header, a body, a token or a secret.
 */

/** The logger the server writes to: tokensmith's {@link Logger}, optionally with pino's `isLevelEnabled`. */
export type ServerLogger = Logger & {
  /** As pino's: when it answers false for `info`, the server skips building its per-request lines. */
  isLevelEnabled?(level: string): boolean;
};

/** Levels from the most to the least verbose; `silent` writes nothing. */
export const SERVER_LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** A level of {@link SERVER_LOG_LEVELS}. */
export type ServerLogLevel = (typeof SERVER_LOG_LEVELS)[number];
/** `text`: `level message key=value …` for people; `json`: one JSON object per line for machines. */
export type ServerLogFormat = 'text' | 'json';

/** Options of {@link streamLogger}. */
export interface StreamLoggerOptions {
  /** Least severe level written. Default `warn`: errors and warnings, no per-request lines. */
  level?: ServerLogLevel | undefined;
  /** Line format. Default `text`. */
  format?: ServerLogFormat | undefined;
  /** Receives batches of whole lines, each ending in `\n`. Default: process.stderr. */
  write?: ((chunk: string) => void) | undefined;
}

/** A {@link ServerLogger} that batches its output (up to 50 ms); call `flush()` before the process exits. */
export interface StreamLogger extends ServerLogger {
  isLevelEnabled(level: string): boolean;
  /** Writes what is buffered now. */
  flush(): void;
}

/** Buffered output is written this long after its first line, or at once past {@link FLUSH_AT_CHARS}. */
const FLUSH_AFTER_MS = 50;
const FLUSH_AT_CHARS = 16 * 1024;
const noop = (): void => {};

/**
 * A logger writing one line per event, filtered by level and batched: lines are gathered for up
 * to 50 ms (or 16 KiB) and go out in a single write, so a request log costs a string
 * concatenation per request, not a system call (stderr to a file or a pipe is a synchronous
 * write). Levels below `level` are no-op functions. The timer does not keep the process alive:
 * flush on exit.
 *
 * @example
 * ```ts
 * const logger = streamLogger({ level: 'info', format: 'json' });
 * const server = await startAuthServer({ logger });
 * process.on('exit', () => logger.flush());
 * ```
 */
export function streamLogger(options: StreamLoggerOptions = {}): StreamLogger {
  const threshold = SERVER_LOG_LEVELS.indexOf(options.level ?? 'warn');
  const format = options.format === 'json' ? jsonLine : textLine;
  const write = options.write ?? ((chunk: string) => void process.stderr.write(chunk));
  let pending = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    write(chunk);
  };
  const enabled = (level: string): boolean => {
    const index = SERVER_LOG_LEVELS.indexOf(level as ServerLogLevel);
    return index >= threshold && index < SERVER_LOG_LEVELS.length - 1;
  };
  const emit = (level: ServerLogLevel) =>
    enabled(level)
      ? (fields: object, message?: string) => {
          pending += format(level, fields, message);
          if (pending.length >= FLUSH_AT_CHARS) flush();
          else if (timer === undefined) timer = setTimeout(flush, FLUSH_AFTER_MS).unref();
        }
      : noop;
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'), isLevelEnabled: enabled, flush };
}

/**
 * A logger writing one text line per event, `level message key=value …`, to `write`, unbuffered
 * and unfiltered (see {@link streamLogger} for both).
 *
 * @example
 * ```ts
 * const logger = lineLogger((line) => process.stderr.write(line + '\n'));
 * ```
 */
export function lineLogger(write: (line: string) => void): Logger {
  const emit = (level: string) => (fields: object, message?: string) => write(textLine(level, fields, message).slice(0, -1));
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

function textLine(level: string, fields: object, message?: string): string {
  let line = `${level} ${message ?? ''}`;
  for (const key in fields) {
    const value = (fields as Record<string, unknown>)[key];
    if (value !== undefined) line += ` ${key}=${String(value)}`;
  }
  return `${line}\n`;
}

function jsonLine(level: string, fields: object, message?: string): string {
  return `${JSON.stringify({ level, time: Date.now(), ...(message === undefined ? {} : { msg: message }), ...fields })}\n`;
}
