import { RequestNotReplayableError } from './errors';
import type { Logger } from './logger';
import { keepAsReplayCopy, NOT_REPLAYABLE, replayOf } from './replay';

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
  const drain = () => response.body?.cancel().catch(() => {});
  const copy = replayOf(request);
  if (copy === NOT_REPLAYABLE) {
    await drain();
    throw new RequestNotReplayableError(
      `credentials rejected on ${request.method} ${schemaPath}; not retried because the request body is a stream that cannot be sent twice. They were renewed: send the request again`,
      response,
    );
  }
  const authenticated = copy && (await reauthenticate(copy));
  if (!authenticated) {
    log.warn(
      where,
      copy
        ? 'credentials rejected; renewal gave no new credentials, not retrying'
        : 'credentials rejected; not retried because another middleware replaced the request after auth (register auth last)',
    );
    return undefined;
  }
  keepAsReplayCopy(request, authenticated);
  await drain();
  log.debug(where, 'credentials rejected; retrying once with renewed ones');
  return fetch(authenticated);
}
