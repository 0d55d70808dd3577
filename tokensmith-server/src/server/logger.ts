import type { Logger } from 'tokensmith';

/**
 * The server logs through tokensmith's one logger shape, pino's `(fields, message)`
 * ({@link Logger}), so a pino instance, Fastify's logger or {@link lineLogger} drops in. Lines name
 * methods, paths, statuses and rule names; never a header, a body, a token or a secret.
 */

/** The logger the server writes to: tokensmith's {@link Logger}. */
export type ServerLogger = Logger;

/**
 * A logger writing one text line per event, `level message key=value …`, to `write`.
 *
 * @example
 * ```ts
 * const logger = lineLogger((line) => process.stderr.write(line + '\n'));
 * ```
 */
export function lineLogger(write: (line: string) => void): Logger {
  const emit = (level: string) => (fields: object, message?: string) => {
    const detail = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => ` ${key}=${String(value)}`)
      .join('');
    write(`${level} ${message ?? ''}${detail}`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
