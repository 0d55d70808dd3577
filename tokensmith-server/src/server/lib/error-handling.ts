import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokensmithError } from 'tokensmith';
import { isAdminPath, pathOf } from '../admin/request-log';
import { isMetquayPath } from '../admin/faults';
import type { ServerLogger } from '../logger';
import { isOAuth2Path, oauth2RefusalBody } from '../oauth2/routes';
import { clientErrorOf, sendAblyError } from './ably-errors';
import { refusedRequestPath, trackRequestHeads } from './request-head';
import type { Scrubber } from './scrub';
import { sendWire } from './wire';

/**
 * The root error and not-found handlers. Client mistakes keep their 4xx in Ably's envelope (or
 * Metquay's `{ code, message }` under `/api/v1`, should anything there escape the Metquay
 * plugin's own handler); anything else is a 500 whose name and redacted message go to the log.
 */
export function installErrorHandling(
  app: FastifyInstance,
  logger: ServerLogger,
  scrub: Scrubber,
  authenticateFirst: (request: FastifyRequest) => Promise<unknown> = async () => undefined,
): void {
  trackRequestHeads(app.server);
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const path = pathOf(request.url);
    let clientError = clientErrorOf(error);
    if (!clientError) {
      const detail = scrub(`${error.name}: ${error.message}`).slice(0, 300);
      logger.error({ method: request.method, path, detail }, 'unexpected error');
      clientError = new TokensmithError(50000, 'internal error');
    } else {
      clientError = new TokensmithError(clientError.code, scrub(clientError.message), { statusCode: clientError.statusCode });
    }
    if (isMetquayPath(path)) {
      return sendWire(reply, clientError.statusCode, { code: clientError.statusCode, message: clientError.message }, 'json');
    }
    return sendAblyError(request, reply, clientError);
  });

  // As Ably, credentials are judged before the route: an unknown key is 401/40400 on any path.
  app.setNotFoundHandler(async (request, reply) => {
    const path = pathOf(request.url);
    const message = scrub(`no route for ${request.method} ${path.slice(0, 200)}`);
    if (isMetquayPath(path)) return sendWire(reply, 404, { code: 404, message }, 'json');
    if (request.headers.authorization !== undefined && !isAdminPath(path)) {
      try {
        await authenticateFirst(request);
      } catch (error) {
        const refused = clientErrorOf(error as Error);
        if (refused) return sendAblyError(request, reply, new TokensmithError(refused.code, scrub(refused.message), { statusCode: refused.statusCode }));
        throw error;
      }
    }
    return sendAblyError(request, reply, new TokensmithError(40400, message));
  });
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before any route runs (an
 * unknown method, a malformed header, a missing Host, headers over the size limit, a request not
 * finished within the request timeout) is answered with a code — 40000, 43100 (header overflow)
 * or 40800 (timeout) — in the envelope of the API the request's path belongs to (Metquay's
 * `{ code, message }` under `/api/v1`, OAuth2's `{ error, error_description }` at its endpoints,
 * else Ably's), and the connection is closed. The path comes from {@link refusedRequestPath},
 * with {@link trackRequestHeads} installed on the server (by {@link installErrorHandling}); when
 * no request line came, Ably's envelope.
 */
export function clientErrorHandler(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  const path = refusedRequestPath(error, socket);
  if (path !== undefined && (isMetquayPath(path) || isOAuth2Path(path))) {
    plainClientErrorHandler(error, socket, path);
    return;
  }
  const { status, code, message } = parserRefusal(error);
  const body = JSON.stringify({ error: { message, code, statusCode: status, href: `https://help.ably.io/error/${code}` } });
  answerOnSocket(socket, error, status, body, `x-ably-errorcode: ${code}\r\n`);
}

/**
 * The same for servers whose errors are `{ code, message }` with the HTTP status as `code`
 * (`tokensmith serve --spec`, and Metquay's paths), but OAuth2's `{ error, error_description }`
 * at the OAuth2 endpoints mounted there.
 */
export function plainClientErrorHandler(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket, path = refusedRequestPath(error, socket)): void {
  const { status, message } = parserRefusal(error);
  const body = path !== undefined && isOAuth2Path(path) ? oauth2RefusalBody(status, message) : { code: status, message };
  answerOnSocket(socket, error, status, JSON.stringify(body), '');
}

function parserRefusal(error: Error & { code?: string }): { status: number; code: number; message: string } {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 40800, message: 'the request was not completed within the server request timeout' };
  if (error.code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 43100, message: 'request headers are too large' };
  return { status: 400, code: 40000, message: 'the request is not valid HTTP' };
}

function answerOnSocket(socket: Socket, error: Error & { code?: string }, status: number, body: string, extraHeaders: string): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // end() flushes the answer before closing; the timer closes a peer that never reads it.
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `${extraHeaders}Connection: close\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1_000).unref();
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
