import { redact } from './errors';

/**
 * The logger shape tokensmith accepts: pino's (`logger.info(obj, msg)`), so a pino, bunyan-like
 * or console adapter drops in. Silent by default.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Log levels of {@link Logger}. */
export type LogLevel = keyof Logger;

/** A logger that drops everything; what tokensmith uses when none is given. */
export const silentLogger: Logger = /* @__PURE__ */ Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/**
 * Wraps `logger` so every message and every string field (and any error's message and stack)
 * passes through {@link redact} with the secrets known at the time of the call. Errors are
 * reduced to `{ name, code, statusCode, message }` under pino's `err` convention.
 *
 * Returns {@link silentLogger} itself when `logger` is undefined, so silent logging costs nothing.
 */
export function createRedactingLogger(logger: Logger | undefined, secrets: () => Iterable<string | undefined>): Logger {
  if (!logger) return silentLogger;
  const redacting = {} as Logger;
  for (const level of LEVELS) {
    redacting[level] = (obj, msg) => {
      const known = [...secrets()];
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(obj)) {
        const error = value as Error & { code?: unknown; statusCode?: unknown };
        fields[key] =
          typeof value === 'string'
            ? redact(value, known)
            : value instanceof Error
              ? { name: error.name, code: error.code, statusCode: error.statusCode, message: redact(error.message, known) }
              : value;
      }
      logger[level](fields, msg === undefined ? undefined : redact(msg, known));
    };
  }
  return redacting;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
