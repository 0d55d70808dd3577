import { AuthProviderError, TokensmithError, TransportError, redact } from './errors';
import { networkFailure } from './http';

/**
 * Turns whatever `fetchToken` threw into a typed error whose text holds no known secret.
 * Typed errors pass through, scrubbed of `secrets` (providers build them with `redact`, but only
 * the manager knows its current token); a `TypeError` (fetch's
 * network failure) becomes a `TransportError` `80000` naming the system error; anything else an
 * {@link AuthProviderError} `40170`. The original is kept as `cause`, with its message and stack
 * redacted.
 */
export function typedFetchFailure(caught: unknown, secrets: readonly (string | undefined)[]): TokensmithError {
  if (caught instanceof TokensmithError) return scrubbed(caught, secrets);
  const cause = redactedCopy(caught, secrets);
  if (caught instanceof TypeError) {
    const failure = networkFailure(caught, 'fetchToken', undefined, secrets);
    const text = `${caught.message}\n${caught.stack ?? ''}`;
    // Keep fetch's own error as the cause unless it quotes a secret (a TypeError thrown by user code may).
    return redact(text, secrets) === text ? failure : new TransportError(80000, failure.message, { cause });
  }
  return new AuthProviderError(40170, `fetchToken failed: ${cause.message}`, { cause });
}

/** A provider's typed error, its message and stack scrubbed of what the provider could not know (e.g. the manager's current token). */
function scrubbed(error: TokensmithError, secrets: readonly (string | undefined)[]): TokensmithError {
  const message = redact(error.message, secrets);
  if (message !== error.message) {
    error.message = message;
    if (error.stack !== undefined) error.stack = redact(error.stack, secrets);
  }
  return error;
}

/** True for final failures the `onAuthError` hook hears about: any 4xx except 429. */
export function isAuthFailure(error: TokensmithError): boolean {
  return error.statusCode >= 400 && error.statusCode < 500 && error.statusCode !== 429;
}

function redactedCopy(caught: unknown, secrets: readonly (string | undefined)[]): Error {
  const original = caught instanceof Error ? caught : undefined;
  const text = redact(original ? original.message : String(caught), secrets);
  const copy = new Error(text.length > 300 ? `${text.slice(0, 300)}…` : text);
  copy.name = original?.name ?? 'Error';
  copy.stack = original?.stack === undefined ? copy.stack : redact(original.stack, secrets);
  return copy;
}
