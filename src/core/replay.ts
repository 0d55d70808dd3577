/**
 * One way to send a request again (after a token renewal, after a 429): a copy of its body taken
 * once, just before the first send, by the auth middleware; every retry sends a fresh clone of it.
 *
 * Bodies built from a string, bytes, Blob, FormData or URLSearchParams (all that openapi-fetch's
 * serialisers produce) are copied with `request.clone()`. A body passed as a ReadableStream is
 * not: copying it would hold the whole upload in memory. {@link ReplayableRequest} (the `Request`
 * class `createApiClient` and the provider clients build requests with) records which requests
 * got a stream; a request built elsewhere cannot be told apart, and its body is cloned, which
 * still replays correctly.
 */

/** Marks a request whose body cannot be sent twice. */
export const NOT_REPLAYABLE: unique symbol = Symbol('tokensmith.notReplayable');

const streamBodies = new WeakSet<Request>();
const copies = new WeakMap<Request, Request | typeof NOT_REPLAYABLE>();

/**
 * A `Request` that remembers whether its body was a stream, so it is never buffered for a retry.
 * Pass it to openapi-fetch as `createClient({ Request: ReplayableRequest })` (createApiClient
 * does).
 */
export class ReplayableRequest extends Request {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input, init);
    // A Request passed as `init` (a copy at another URL) carries its own mark, not its body's type.
    const stream =
      init instanceof Request
        ? streamBodies.has(init)
        : init?.body instanceof ReadableStream || (init?.body === undefined && input instanceof Request && streamBodies.has(input));
    if (stream) streamBodies.add(this);
  }
}

/** Takes the copy retries will send; call once, before `request` is sent. Bodiless requests need none. */
export function keepReplayCopy(request: Request): void {
  if (request.body === null || copies.has(request)) return;
  copies.set(request, copyOf(request));
}

/**
 * A fresh request to send again in place of `request` (already sent): a new Request for a bodiless
 * one, a clone of the kept copy otherwise. {@link NOT_REPLAYABLE} for a stream body; `undefined`
 * when no copy was kept (a middleware replaced the request after auth took its copy).
 */
export function replayOf(request: Request): Request | typeof NOT_REPLAYABLE | undefined {
  const copy = copies.get(request);
  if (copy === undefined && request.body === null) return new Request(request);
  return copy === NOT_REPLAYABLE ? copy : copy?.clone();
}

/**
 * Makes `authenticated` (a re-authenticated replay of `request`, about to be sent) the copy later
 * retries of `request` send (e.g. a 429 retry after a token renewal).
 */
export function keepAsReplayCopy(request: Request, authenticated: Request): void {
  copies.set(request, copyOf(authenticated));
}

/**
 * `request` at another URL (a query credential), body and headers kept, still recognised as a
 * stream body when it was one.
 */
export function relocated(request: Request, url: string | URL): Request {
  // The same class: openapi-fetch accepts only instances of the Request class it was given.
  const Same = request.constructor as typeof Request;
  const moved = new Same(url, request);
  if (streamBodies.has(request)) streamBodies.add(moved);
  return moved;
}

function copyOf(request: Request): Request | typeof NOT_REPLAYABLE {
  if (streamBodies.has(request)) return NOT_REPLAYABLE;
  try {
    return request.clone();
  } catch {
    // Body already used or locked by another middleware.
    return NOT_REPLAYABLE;
  }
}
