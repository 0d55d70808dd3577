import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pathOf } from '../admin/request-log';
import { isOAuth2Path, oauth2RefusalBody } from '../oauth2/routes';
import { trackRequestHeads } from '../lib/request-head';
import type { ServerLogger } from '../logger';
import type { Scrubber } from '../lib/scrub';
import type { SpecRouteConfig } from './routes';

const WHERE: Record<string, string> = { body: 'body', querystring: 'query parameter', params: 'path parameter', headers: 'header' };

/**
 * The spec server's error and not-found handlers. Every answer is `{ code, message }` (plus
 * `field` for a request the spec refuses): a validation failure is 400 naming the field, other
 * client mistakes keep their 4xx, anything else is a 500 whose redacted detail goes to the log.
 */
export function installSpecErrorHandling(app: FastifyInstance, logger: ServerLogger, scrub: Scrubber): void {
  // For the envelope of what Node's parser refuses (plainClientErrorHandler).
  trackRequestHeads(app.server);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      const first = error.validation[0];
      const context = error.validationContext ?? 'body';
      const config = request.routeOptions.config as Partial<SpecRouteConfig>;
      const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      const pointer = first?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
      let field = missing !== undefined ? (pointer === '' ? missing : `${pointer}.${missing}`) : pointer;
      if (context === 'params') field = config.operation?.paramNames[field] ?? field;
      const where = WHERE[context] ?? context;
      const problem = missing !== undefined ? 'is required' : (first?.message ?? 'is not valid');
      const message = field === '' ? `the ${where} ${problem}` : `${where} "${field}" ${problem}`;
      return reply.code(400).send({ code: 400, message: scrub(message).slice(0, 500), field: `${context === 'querystring' ? 'query' : context === 'params' ? 'path' : context}${field === '' ? '' : `.${field}`}` });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ code: status, message: scrub(error.message).slice(0, 500) });
    logger.error({ method: request.method, path: pathOf(request.url), detail: scrub(`${error.name}: ${error.message}`).slice(0, 300) }, 'unexpected error');
    return reply.code(500).send({ code: 500, message: 'internal error' });
  });
  app.setNotFoundHandler(async (request, reply) => {
    const message = scrub(`no operation for ${request.method} ${pathOf(request.url).slice(0, 200)}`);
    return reply.code(404).send({ code: 404, message });
  });
}

/**
 * The Host check's refusals (400: no Host; 403: not one of the server's names): `{ code, message }`,
 * but OAuth2's `{ error, error_description }` at the OAuth2 endpoints.
 */
export function answerSpecHostCheck(request: FastifyRequest, reply: FastifyReply, status: 400 | 403, message: string): FastifyReply {
  if (status === 400) reply.header('connection', 'close');
  if (isOAuth2Path(pathOf(request.url))) return reply.code(status).send(oauth2RefusalBody(status, message));
  return reply.code(status).send({ code: status, message });
}

/** Fastify's `frameworkErrors`: a URL the router refuses (bad percent-encoding, an over-long segment), without quoting it. */
export function specFrameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  void reply.code(status).send({ code: status, message: status === 414 ? 'a path segment is too long' : 'the URL is not valid' });
}
