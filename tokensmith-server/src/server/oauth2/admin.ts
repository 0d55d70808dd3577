import type { FastifyPluginAsync } from 'fastify';
import type { OAuth2Authority } from './authority';

/** Options of {@link oauth2AdminRoutes}. */
export interface OAuth2AdminRoutesOptions {
  /** The authority whose tokens these controls act on. */
  authority: OAuth2Authority;
}

const tokenMark = {
  body: {
    type: 'object',
    additionalProperties: false,
    properties: { token: { type: 'string', minLength: 1, maxLength: 8192 }, clientId: { type: 'string', minLength: 1, maxLength: 256 } },
  },
} as const;
const mintRefresh = {
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['clientId'],
    properties: { clientId: { type: 'string', minLength: 1, maxLength: 256 }, scopes: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 256 } } },
  },
} as const;

/**
 * Test controls for the OAuth2 side, mounted under `/_admin/oauth2` only with the test controls on.
 *
 * - `POST …/tokens/expire` `{ token? }`: that access or refresh token (or every token) is refused
 *   as expired from now on; replies `{ affected }`.
 * - `POST …/tokens/revoke` `{ token? }` or `{ clientId }`: likewise revoked; with `clientId`, every
 *   token of that client.
 * - `POST …/refresh-tokens` `{ clientId, scopes? }`: mints a refresh token, as an authorization-code
 *   flow would have handed a user; replies `{ refresh_token }`.
 * - `GET …/stats`: `{ tokensIssued, refreshTokensIssued, storedTokens, storeBytes, verifiedCacheTokens,
 *   verifiedCacheBytes }`.
 * - `POST …/reset`: forgets every token and count.
 */
export const oauth2AdminRoutes: FastifyPluginAsync<OAuth2AdminRoutesOptions> = async (app, { authority }) => {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  app.post('/tokens/expire', { schema: tokenMark }, async (request) => {
    const { token } = (request.body ?? {}) as { token?: string };
    return { affected: authority.expire(token) };
  });
  app.post('/tokens/revoke', { schema: tokenMark }, async (request) => {
    const { token, clientId } = (request.body ?? {}) as { token?: string; clientId?: string };
    return { affected: clientId !== undefined ? authority.revokeClient(clientId) : authority.revoke(token) };
  });
  app.post('/refresh-tokens', { schema: mintRefresh }, async (request, reply) => {
    const { clientId, scopes } = request.body as { clientId: string; scopes?: string[] };
    try {
      return { refresh_token: authority.issueRefreshToken(clientId, scopes) };
    } catch {
      return reply.code(400).send({ error: 'invalid_request', error_description: 'clientId must name a configured client and scopes must be among its own' });
    }
  });
  app.get('/stats', async () => authority.stats());
  app.post('/reset', async (_request, reply) => {
    authority.reset();
    return reply.code(204).send();
  });
};
