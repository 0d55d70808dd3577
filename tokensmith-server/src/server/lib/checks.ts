import { ConfigurationError } from 'tokensmith';

/**
 * The server's one argument check: options are checked when the server is built, and a failure
 * is a {@link ConfigurationError} (40003) whose message names the option, never its value.
 */

/** The error for a bad option; `message` names the option and says what to fix. */
export function invalidOption(message: string, cause?: unknown): ConfigurationError {
  return new ConfigurationError(40003, message, cause === undefined ? {} : { cause });
}

/** Throws {@link invalidOption} unless `value` is a safe positive integer; `name` is the option's path. */
export function positiveInteger(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw invalidOption(`${name} must be a positive integer`);
}
