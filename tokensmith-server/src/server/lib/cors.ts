import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokensmithError } from 'tokensmith';
import { isMetquayPath } from '../admin/faults';
import { isAdminPath, pathOf } from '../admin/request-log';
import { sendAblyError } from './ably-errors';
import { sendWire } from './wire';

/**
 * Cross-origin access the way Ably's REST endpoint gives it, so browsers can call the local server
 * directly: every route answers a preflight, every answer (errors included) names the allowed
 * origin, and the error headers are readable by scripts. The test controls stay same-origin: they
 * never carry CORS headers, so a page cannot drive them.
 */

/** Which origins may call the server from a browser. */
export interface CorsConfig {
  /**
   * `'*'` (the default, as Ably's public REST): any origin. Otherwise the exact origins allowed,
   * e.g. `["http://localhost:5173"]`; a request from another origin gets no CORS headers.
   */
  allowedOrigins: '*' | string[];
}

/** Methods the routes use, answered to every preflight. */
export const CORS_ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
/** Request headers the clients send: auth, Ably's version and clientId headers, content types. */
export const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, X-Ably-Version, X-Ably-ClientId, X-Ably-Lib, Ably-Agent';
/** Response headers scripts may read: Ably's error headers, history paging, rate-limit waits. */
export const CORS_EXPOSED_HEADERS = 'X-Ably-ErrorCode, X-Ably-ErrorMessage, Link, Retry-After';
const PREFLIGHT_MAX_AGE_SECONDS = '86400';

/**
 * A global `onRequest` hook, registered before the others so a preflight is answered before fault
 * injection or routing: `OPTIONS` with `Access-Control-Request-Method` from an allowed origin gets
 * 204 and the allowances; from another origin, or to the test controls, 403 in the envelope.
 */
export function installCors(app: FastifyInstance, config: CorsConfig): void {
  const anyOrigin = config.allowedOrigins === '*';
  const allowed = new Set(anyOrigin ? [] : config.allowedOrigins);

  // Callback style, not async: it runs on every request, and most carry no Origin.
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin === undefined) return done();
    const path = pathOf(request.url);
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    const permitted = !isAdminPath(path) && (anyOrigin || allowed.has(origin));
    if (!permitted) {
      if (preflight) return void refuse(request, reply, path, isAdminPath(path) ? 'the test controls are same-origin only' : 'this origin is not allowed');
      return done();
    }
    reply.header('access-control-allow-origin', anyOrigin ? '*' : origin);
    if (!anyOrigin) reply.header('vary', 'Origin');
    if (!preflight) {
      reply.header('access-control-expose-headers', CORS_EXPOSED_HEADERS);
      return done();
    }
    reply
      .header('access-control-allow-methods', CORS_ALLOWED_METHODS)
      .header('access-control-allow-headers', CORS_ALLOWED_HEADERS)
      .header('access-control-max-age', PREFLIGHT_MAX_AGE_SECONDS);
    return void reply.code(204).send();
  });
}

function refuse(request: FastifyRequest, reply: FastifyReply, path: string, reason: string): FastifyReply {
  const message = `cross-origin request refused: ${reason}`;
  if (isMetquayPath(path)) return sendWire(reply, 403, { code: 403, message }, 'json');
  return sendAblyError(request, reply, new TokensmithError(40300, message, { statusCode: 403 }));
}

/**
 * Checks the `cors` config section: `'*'` or a list of origins (`scheme://host[:port]`, no path).
 * @throws {TypeError} naming the bad entry; the config loader turns it into a 40003.
 */
export function resolveCorsConfig(input: Partial<CorsConfig>): CorsConfig {
  const origins = input.allowedOrigins ?? DEFAULT_CORS_CONFIG.allowedOrigins;
  if (origins === '*') return { allowedOrigins: '*' };
  if (!Array.isArray(origins)) throw new TypeError('cors.allowedOrigins must be "*" or an array of origins');
  origins.forEach((origin: unknown, index) => {
    if (typeof origin !== 'string' || !URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new TypeError(`cors.allowedOrigins[${index}] must be an origin such as "http://localhost:5173" (scheme, host, port; no path)`);
    }
  });
  return { allowedOrigins: [...origins] };
}

/** Any origin, as Ably's public REST endpoint. */
export const DEFAULT_CORS_CONFIG: Readonly<CorsConfig> = Object.freeze({ allowedOrigins: '*' });
