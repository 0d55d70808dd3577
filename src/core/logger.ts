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
  const emit = (level: LogLevel) => (obj: object, msg?: string) => {
    const known = [...secrets()];
    logger[level](redactFields(obj, known), msg === undefined ? undefined : redact(msg, known));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

function redactFields(obj: object, secrets: readonly (string | undefined)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) out[key] = redactValue(value, secrets);
  return out;
}

function redactValue(value: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (value instanceof Error) {
    const { code, statusCode } = value as { code?: unknown; statusCode?: unknown };
    return { name: value.name, code, statusCode, message: redact(value.message, secrets) };
  }
  return value;
}
