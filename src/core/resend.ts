import { RequestNotReplayableError } from './errors';
import type { Logger } from './logger';
import { keepAsReplayCopy, replayOf, replayState } from './replay';

/**
 * Sends a request once more after its credentials were rejected and renewed: the one retry both
 * auth middlewares (the spec-auth engine and the header-string `createAuthMiddleware`) make.
 *
 * - A stream body is never sent twice: {@link RequestNotReplayableError}.
 * - No copy was kept (a middleware replaced the request after auth): a warning, and the rejected
 *   answer stands.
 * - `reauthenticate` gets a fresh copy of the request as first sent and returns it authenticated
 *   again, or undefined when renewal gave nothing new (a warning; the answer stands). The result
 *   becomes the copy later retries (a 429) send.
 */
export async function resendOnce(
  request: Request,
  response: Response,
  schemaPath: string,
  fetch: typeof globalThis.fetch,
  log: Logger,
  reauthenticate: (copy: Request) => Request | undefined | Promise<Request | undefined>,
): Promise<Response | undefined> {
  const where = { method: request.method, schemaPath, status: response.status };
  const state = replayState(request);
  if (state === 'stream') {
    await response.body?.cancel().catch(() => {});
    throw new RequestNotReplayableError(
      `credentials rejected on ${request.method} ${schemaPath}; not retried because the request body is a stream that cannot be sent twice. They were renewed: send the request again`,
      response,
    );
  }
  const copy = replayOf(request);
  if (state === 'missing' || copy === undefined || typeof copy === 'symbol') {
    log.warn(where, 'credentials rejected; not retried because another middleware replaced the request after auth (register auth last)');
    return undefined;
  }
  const authenticated = await reauthenticate(copy);
  if (authenticated === undefined) {
    log.warn(where, 'credentials rejected; renewal gave no new credentials, not retrying');
    return undefined;
  }
  keepAsReplayCopy(request, authenticated);
  await response.body?.cancel().catch(() => {});
  log.debug(where, 'credentials rejected; retrying once with renewed ones');
  return fetch(authenticated);
}
