import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokensmithError } from 'tokensmith';
import { isMetquayPath } from '../admin/faults';
import { pathOf } from '../admin/request-log';
import type { ServerLogger } from '../logger';
import { clientErrorOf, sendAblyError } from './ably-errors';
import type { Scrubber } from './scrub';
import { sendWire } from './wire';

/**
 * The root error and not-found handlers. Client mistakes keep their 4xx in Ably's envelope (or
 * Metquay's `{ code, message }` under `/api/v1`, should anything there escape the Metquay
 * plugin's own handler); anything else is a 500 whose name and redacted message go to the log.
 */
export function installErrorHandling(app: FastifyInstance, logger: ServerLogger, scrub: Scrubber): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const path = pathOf(request.url);
    let clientError = clientErrorOf(error);
    if (!clientError) {
      const detail = scrub(`${error.name}: ${error.message}`).slice(0, 300);
      logger.error('unexpected error', { method: request.method, path, detail });
      clientError = new TokensmithError(50000, 'internal error');
    } else {
      clientError = new TokensmithError(clientError.code, scrub(clientError.message), { statusCode: clientError.statusCode });
    }
    if (isMetquayPath(path)) {
      return sendWire(reply, clientError.statusCode, { code: clientError.statusCode, message: clientError.message }, 'json');
    }
    return sendAblyError(request, reply, clientError);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request.url);
    const message = scrub(`no route for ${request.method} ${path.slice(0, 200)}`);
    if (isMetquayPath(path)) return sendWire(reply, 404, { code: 404, message }, 'json');
    return sendAblyError(request, reply, new TokensmithError(40400, message));
  });
}

/**
 * Fastify's `frameworkErrors` option: URLs the router refuses before any route runs (malformed
 * percent-encoding, a path parameter over the length limit) answer in the envelope too, and
 * without quoting the URL.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const clientError = tooLong
    ? new TokensmithError(41400, 'a path segment is too long', { statusCode: 414 })
    : new TokensmithError(40000, 'the URL is not valid');
  if (isMetquayPath(pathOf(request.url))) {
    void sendWire(reply, clientError.statusCode, { code: clientError.statusCode, message: clientError.message }, 'json');
    return;
  }
  void sendAblyError(request, reply, clientError);
}
