import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { TokensmithError, codeForStatus, type AblyComponents } from 'tokensmith';
import { responseFormat, sendWire } from './wire';

/**
 * Ably's error envelope, `{"error":{"message","code","statusCode","href"}}`, and the mapping from
 * everything that can go wrong with a request (schema failures, unreadable or oversize bodies,
 * unsupported media types, refused credentials) to a code from the shared error table.
 */

/** The Ably error body, as the spec's `ErrorResponse` (this server always sets `href`). */
export type AblyErrorBody = AblyComponents['schemas']['ErrorResponse'];

/** Builds the envelope for `error`. */
export function ablyErrorBody(error: TokensmithError): AblyErrorBody {
  return {
    error: {
      message: error.message,
      code: error.code,
      statusCode: error.statusCode,
      href: error.href ?? `https://help.ably.io/error/${error.code}`,
    },
  };
}

/**
 * Sends `error` in the envelope, encoded as the client asked, plus Ably's `x-ably-errorcode` and
 * `x-ably-errormessage` headers (clients fall back on them when they cannot read the body).
 */
export function sendAblyError(request: FastifyRequest, reply: FastifyReply, error: TokensmithError): FastifyReply {
  reply.header('x-ably-errorcode', String(error.code));
  reply.header('x-ably-errormessage', headerSafe(error.message));
  return sendWire(reply, error.statusCode, ablyErrorBody(error), responseFormat(request));
}

/**
 * The client error a Fastify or handler error stands for, or undefined when it is a server bug.
 * Messages come from this table, never from the error itself: parser messages can quote the body.
 */
export function clientErrorOf(error: FastifyError | Error): TokensmithError | undefined {
  if (error instanceof TokensmithError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return validationError(fastifyError);
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new TokensmithError(40001, 'request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TokensmithError(41300, 'request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new TokensmithError(41500, 'unsupported content type; send application/json or application/x-msgpack');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new TokensmithError(40000, 'content-length does not match the body');
    default:
      break;
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // Includes JSON bodies rejected for prototype poisoning, and any other parser refusal.
    if (status === 400) return new TokensmithError(40001, 'request body could not be read');
    return new TokensmithError(codeForStatus(status), 'request refused', { statusCode: status });
  }
  return undefined;
}

function validationError(error: FastifyError): TokensmithError {
  const where = error.validationContext ?? 'request';
  const [first] = error.validation ?? [];
  const code = where === 'body' ? 40001 : 40003;
  if (!first) return new TokensmithError(code, `${where} is invalid`);
  const params = first.params as Record<string, unknown>;
  const field = fieldPath(where, first.instancePath);
  if (typeof params['missingProperty'] === 'string') {
    return new TokensmithError(code, `${field}.${clip(params['missingProperty'])} is required`);
  }
  if (typeof params['additionalProperty'] === 'string') {
    return new TokensmithError(code, `${field}.${clip(params['additionalProperty'])} is not allowed`);
  }
  if (first.instancePath === '/clientId' || first.instancePath.endsWith('/clientId')) {
    return new TokensmithError(40012, `${field} must be a non-empty string`);
  }
  return new TokensmithError(code, `${field} ${first.message ?? 'is invalid'}`);
}

function fieldPath(where: string, instancePath: string): string {
  const parts = instancePath.split('/').filter(Boolean).map(clip);
  return [where, ...parts].join('.');
}

function clip(name: unknown): string {
  const text = String(name);
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

// Header values must be visible ASCII; user-supplied names in a message may not be.
function headerSafe(message: string): string {
  return message.replace(/[^\x20-\x7e]/g, '?').slice(0, 512);
}
