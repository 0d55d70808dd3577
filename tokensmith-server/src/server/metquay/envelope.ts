import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { MetquayComponents } from 'tokensmith';

/** Metquay's error body, as the spec's `ErrorResponse`: the HTTP status again, and a message. */
export type MetquayErrorBody = MetquayComponents['schemas']['ErrorResponse'];

/** Sends `{ code, message }` with status `code`. */
export function sendMetquayError(reply: FastifyReply, code: number, message: string): FastifyReply {
  return reply.code(code).type('application/json; charset=utf-8').send({ code, message } satisfies MetquayErrorBody);
}

/**
 * Makes every error and unknown route under the plugin's prefix answer in the Metquay envelope:
 * schema failures, malformed JSON, oversize bodies and unsupported media types keep their 4xx
 * status; anything unexpected is a 500 whose details stay in the server log.
 */
export function installMetquayErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      return sendMetquayError(reply, 400, validationMessage(error));
    }
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendMetquayError(reply, status, clientErrorMessage(error, status));
    }
    request.log.error({ err: { code: error.code, name: error.name } }, 'metquay: unexpected error');
    return sendMetquayError(reply, 500, 'internal server error');
  });
  app.setNotFoundHandler((request, reply) =>
    sendMetquayError(reply, 404, `no route for ${request.method} ${request.url.split('?')[0] ?? ''}`),
  );
}

// Fastify's own messages for these can echo request content; ours name the rule only.
function clientErrorMessage(error: FastifyError, status: number): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'request body is not valid JSON';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'request body is too large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported content type; send application/json';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'content-length does not match the body';
    default:
      return status === 413 ? 'request body is too large' : status === 415 ? 'unsupported content type' : 'bad request';
  }
}

function validationMessage(error: FastifyError): string {
  const [first] = error.validation ?? [];
  if (!first) return 'request is invalid';
  const where = error.validationContext ?? 'request';
  const params = first.params as Record<string, unknown>;
  const missing = params['missingProperty'];
  if (typeof missing === 'string') return `${where}.${missing} is required`;
  const extra = params['additionalProperty'];
  if (typeof extra === 'string') return `${where}.${extra} is not allowed`;
  const field = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  return `${field ? `${where}.${field}` : where} ${first.message ?? 'is invalid'}`;
}
