import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { OAuth2Authority, OAuth2Refusal, OAuth2TokenResponse } from './authority';
import { presentedClient } from './client-auth';

/**
 * The token endpoint and the discovery document, as a Fastify plugin. Every answer of the token
 * endpoint, success or error, carries `Cache-Control: no-store` (RFC 6749 §5.1).
 */

/** Options of {@link oauth2Routes}. */
export interface OAuth2RoutesOptions {
  /** The authority whose clients and tokens these routes serve. */
  authority: OAuth2Authority;
}

/** Path of the token endpoint, under the plugin's prefix. */
export const OAUTH2_TOKEN_PATH = '/oauth2/token';
/** Path of the discovery document, under the plugin's prefix. */
export const OAUTH2_DISCOVERY_PATH = '/.well-known/openid-configuration';

/** True for the token endpoint and discovery document, at the root or under a prefix: their errors are OAuth2's `{ error, error_description }`. */
export function isOAuth2Path(path: string): boolean {
  return path.endsWith(OAUTH2_TOKEN_PATH) || path.endsWith(OAUTH2_DISCOVERY_PATH);
}

/**
 * The body of a refusal made before the OAuth2 routes run (Host check, parser): RFC 6749 §5.2's
 * shape, `access_denied` for a 403 and `invalid_request` for anything else.
 */
export function oauth2RefusalBody(status: number, message: string): { error: string; error_description: string } {
  return { error: status === 403 ? 'access_denied' : 'invalid_request', error_description: message };
}

const FORM = 'application/x-www-form-urlencoded';
const TOKEN_BODY_LIMIT = 8 * 1024;
const SINGLE_VALUED = ['grant_type', 'scope', 'client_id', 'client_secret', 'refresh_token'];

/**
 * Registers `POST /oauth2/token` (grants `client_credentials` and `refresh_token`) and
 * `GET /.well-known/openid-configuration`. Register it with a prefix to mount both under one;
 * the authority's issuer should then be the server URL plus that prefix.
 *
 * @example
 * ```ts
 * const authority = new OAuth2Authority({ clients: [...] });
 * await app.register(oauth2Routes, { authority });
 * const url = await app.listen({ port: 0 });
 * authority.setIssuer(url);
 * ```
 */
export const oauth2Routes: FastifyPluginAsync<OAuth2RoutesOptions> = async (app, { authority }) => {
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: TOKEN_BODY_LIMIT }, (_request, body, done) => {
    done(null, new URLSearchParams(body as string));
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    // Not the client's doing: a bug, answered as one (the body names nothing of the request).
    if (status >= 500) return reply.code(500).header('cache-control', 'no-store').send({ error: 'server_error', error_description: 'internal error' });
    const description = status === 413 ? 'the request body is too large' : status === 415 ? `send the parameters as ${FORM}` : 'the request body is malformed';
    return sendError(reply, 400, { error: 'invalid_request', description });
  });

  app.post(OAUTH2_TOKEN_PATH, { bodyLimit: TOKEN_BODY_LIMIT }, async (request, reply) => tokenEndpoint(authority, request, reply));
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'],
    url: OAUTH2_TOKEN_PATH,
    handler: async (_request, reply) => sendError(reply.code(405).header('allow', 'POST'), 405, { error: 'invalid_request', description: 'the token endpoint accepts POST only' }),
  });

  app.get(OAUTH2_DISCOVERY_PATH, async (_request, reply) => {
    const issuer = authority.issuer;
    return reply.header('cache-control', 'no-cache').send({
      issuer,
      token_endpoint: `${issuer}${OAUTH2_TOKEN_PATH}`,
      grant_types_supported: ['client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: authority.scopesSupported(),
      response_types_supported: [],
      token_endpoint_auth_signing_alg_values_supported: ['HS256'],
    });
  });
};

async function tokenEndpoint(authority: OAuth2Authority, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const form = request.body;
  if (!(form instanceof URLSearchParams)) {
    return sendError(reply, 400, { error: 'invalid_request', description: `send the parameters as ${FORM}` });
  }
  const repeated = SINGLE_VALUED.find((name) => form.getAll(name).length > 1);
  if (repeated) return sendError(reply, 400, { error: 'invalid_request', description: `${repeated} must not be repeated` });
  const presented = presentedClient(request.headers.authorization, form);
  if ('error' in presented) return sendError(reply, presented.status, presented, presented.usedBasic && presented.status === 401);
  const client = authority.authenticateClient(presented.clientId, presented.clientSecret);
  if (!client) {
    return sendError(reply, 401, { error: 'invalid_client', description: 'client authentication failed' }, presented.method === 'client_secret_basic');
  }
  const grantType = form.get('grant_type');
  const scope = form.get('scope') ?? undefined;
  let result: OAuth2TokenResponse | OAuth2Refusal;
  if (grantType === 'client_credentials') {
    result = await authority.clientCredentials(client, scope);
  } else if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) return sendError(reply, 400, { error: 'invalid_request', description: 'refresh_token is required for grant_type=refresh_token' });
    result = await authority.refresh(client, refreshToken, scope);
  } else if (grantType === null || grantType === '') {
    return sendError(reply, 400, { error: 'invalid_request', description: 'grant_type is required' });
  } else {
    return sendError(reply, 400, { error: 'unsupported_grant_type', description: 'grant_type must be client_credentials or refresh_token' });
  }
  if ('error' in result) return sendError(reply, 400, result);
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(result);
}

/** An RFC 6749 §5.2 error answer; with `basicChallenge`, the 401 names the Basic scheme. */
export function sendError(reply: FastifyReply, status: number, refusal: OAuth2Refusal, basicChallenge = false): FastifyReply {
  if (basicChallenge) reply.header('www-authenticate', 'Basic realm="tokensmith", charset="UTF-8"');
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json; charset=utf-8')
    .send({ error: refusal.error, error_description: refusal.description });
}
