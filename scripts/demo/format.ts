/**
 * How the demo prints: masked secrets, short request-log lines, and checks that fail a step with
 * a message saying what was expected.
 */

/** The first 6 characters of a token (or MAC) and an ellipsis; nothing of a shorter one. */
export function mask(secret: string): string {
  return secret.length > 6 ? `${secret.slice(0, 6)}…` : '…';
}

/** Fails the current step with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new DemoCheckError(message);
}

/** A demo expectation that did not hold. */
export class DemoCheckError extends Error {
  override name = 'DemoCheckError';
}

/** `n thing` or `n things`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** An error as one line: its message and, when it has one, its code. Never a stack. */
export function oneLine(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const suffix = typeof code === 'number' ? ` (code ${code})` : '';
  return `${message}${suffix}`.replace(/\s*\n\s*/g, ' ');
}

/** The Ably error code in an openapi-fetch `error` body, if any. */
export function ablyCode(error: unknown): number | undefined {
  const code = (error as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'number' ? code : undefined;
}
