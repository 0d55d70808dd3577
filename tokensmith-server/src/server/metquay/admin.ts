import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { sendMetquayError } from './envelope';
import type { MetquayServerState } from './state';

/** Options of {@link metquayAdminRoutes}. */
export interface MetquayAdminRoutesOptions {
  /** The state shared with the {@link metquayPlugin} whose tokens these routes control. */
  state: MetquayServerState;
}

/**
 * Test controls for Metquay tokens. Never enable them on a server reachable by anyone but tests.
 *
 * - `POST …/tokens/expire` `{ accessToken? }`: that token (or every issued one) answers 401
 *   "expired" from now on; replies `{ affected }`.
 * - `POST …/tokens/revoke` `{ accessToken? }`: likewise, "revoked".
 * - `GET …/stats`: `{ tokensIssued }` since start or reset.
 * - `POST …/reset`: clears marks, rate-limit counts and the issue count.
 */
export const metquayAdminRoutes: FastifyPluginAsync<MetquayAdminRoutesOptions> = async (app, { state }) => {
  registerMark(app, 'expire', (token) => state.tokens.expire(token));
  registerMark(app, 'revoke', (token) => state.tokens.revoke(token));
  app.get('/stats', async (_request, reply) => reply.header('cache-control', 'no-store').send({ tokensIssued: state.tokensIssued }));
  app.post('/reset', async (_request, reply) => {
    state.reset();
    return reply.code(204).send();
  });
};

function registerMark(app: FastifyInstance, action: string, mark: (token?: string) => number): void {
  app.post(`/tokens/${action}`, async (request, reply) => {
    const body: unknown = request.body ?? {};
    const token = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['accessToken'] : undefined;
    if (token !== undefined && typeof token !== 'string') {
      return sendMetquayError(reply, 400, 'accessToken must be a string');
    }
    return reply.send({ affected: mark(token) });
  });
}
