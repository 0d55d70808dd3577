/**
 * What the server logs through. Lines name methods, paths, statuses and rule names; never a
 * header, a body, a token or a secret.
 */

/** Extra structured detail for a log line; values must already be free of secrets. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** The logger the server writes to. Any console-like object with these three methods fits. */
export interface ServerLogger {
  /** Routine events: one line per request, start and stop. */
  info(message: string, fields?: LogFields): void;
  /** Something a client did wrong that an operator may want to know about. */
  warn(message: string, fields?: LogFields): void;
  /** A bug in the server: an unexpected exception, reported without request content. */
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops everything; the default for {@link startAuthServer}. */
export const silentLogger: ServerLogger = { info() {}, warn() {}, error() {} };

/**
 * A logger writing one text line per event, `level message key=value …`, to `write`.
 *
 * @example
 * ```ts
 * const logger = lineLogger((line) => process.stderr.write(line + '\n'));
 * ```
 */
export function lineLogger(write: (line: string) => void): ServerLogger {
  const emit = (level: string) => (message: string, fields?: LogFields) => {
    const detail = fields
      ? Object.entries(fields)
          .filter(([, value]) => value !== undefined)
          .map(([key, value]) => ` ${key}=${String(value)}`)
          .join('')
      : '';
    write(`${level} ${message}${detail}`);
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
