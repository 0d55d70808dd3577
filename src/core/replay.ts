/**
 * Copies a request before its first send so it can be sent again after a token renewal.
 *
 * Bodies built from a string, bytes, Blob, FormData or URLSearchParams (all that openapi-fetch's
 * serialisers produce) are copied with `request.clone()`. A body passed as a ReadableStream
 * (sent with `duplex: 'half'`) is not: copying it would hold the whole upload in memory. Node's
 * fetch (undici) records whether a body came from a stream; where that record is not visible
 * (browsers, other runtimes) the body is cloned, which still replays correctly.
 */

/** Marks a request whose body cannot be sent twice. */
export const NOT_REPLAYABLE: unique symbol = Symbol('tokensmith.notReplayable');

/** A copy to send again, or {@link NOT_REPLAYABLE}. Call before the request is sent. */
export function replayCopy(request: Request): Request | typeof NOT_REPLAYABLE {
  if (hasStreamBody(request)) return NOT_REPLAYABLE;
  try {
    return request.clone();
  } catch {
    // Body already used or locked by another middleware.
    return NOT_REPLAYABLE;
  }
}

let stateKey: symbol | null | undefined;

function hasStreamBody(request: Request): boolean {
  if (stateKey === undefined) {
    stateKey = Object.getOwnPropertySymbols(request).find((key) => key.description === 'state') ?? null;
  }
  if (stateKey === null) return false;
  const body = (request as unknown as Record<symbol, { body?: { source?: unknown } | null } | undefined>)[stateKey]?.body;
  return body != null && body.source === null;
}
