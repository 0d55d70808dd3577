import type { FastifyPluginAsync } from 'fastify';
import type { AblyApps } from '../ably/apps';
import type { AblyServerState } from '../ably/state';
import { looksLikeJwt } from '../ably/jwt';
import type { SkewableClock } from '../clock';
import type { FaultInjector } from './faults';
import type { RequestLog } from './request-log';
import { adminSchemas } from './schemas';
import type { ClockState, FaultSpec, ServerStats } from './types';

/** What the test controls act on. */
export interface AdminRoutesOptions {
  /** The configured app, which the controls act on. */
  ably: AblyServerState;
  /** Every app; `POST /reset` drops the provisioned ones. */
  apps: AblyApps;
  clock: SkewableClock;
  faults: FaultInjector;
  requestLog: RequestLog;
  /** Resets the Metquay side too, when it is mounted. */
  resetOthers: () => void;
}

/**
 * The test controls, mounted at `/_admin` only when the server runs with `admin: true`.
 * Never enable them where anyone but your tests can reach the server. Routes:
 *
 * - `POST /tokens/expire` `{ token? }` / `POST /tokens/revoke` `{ token? }`: that token (an issued
 *   one or an Ably JWT), or without one every issued token, answers 40142 / 40141 from now on.
 * - `POST /keys/revoke` `{ keyName }`: Basic auth, TokenRequests and tokens of the key get 40131.
 * - `GET /clock`, `POST /clock` `{ offsetMs }` or `{ advanceMs }`: read or skew the server clock.
 * - `POST /faults` {@link FaultSpec}, `GET /faults`, `DELETE /faults`: fail or delay requests.
 * - `GET /requests`, `DELETE /requests`: the request log (method, path, status, duration).
 * - `GET /stats`: sizes of the bounded stores, in entries and estimated bytes. `POST /reset`:
 *   everything back to start, provisioned apps dropped.
 */
export const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (app, options) => {
  const { ably, clock, faults, requestLog } = options;
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  for (const [action, mark] of [['expire', 'expired'], ['revoke', 'revoked']] as const) {
    app.post(`/tokens/${action}`, { schema: adminSchemas.tokenMark }, async (request) => {
      const { token } = (request.body ?? {}) as { token?: string };
      if (token === undefined) return { affected: ably.tokens.markAll(mark) };
      const known = ably.tokens.get(token) !== undefined || looksLikeJwt(token);
      ably.tokens.mark(token, mark);
      return { affected: known ? 1 : 0 };
    });
  }

  app.post('/keys/revoke', { schema: adminSchemas.revokeKey }, async (request) => {
    const { keyName } = request.body as { keyName: string };
    return { affected: ably.keys.revoke(keyName) ? 1 : 0 };
  });

  const clockState = (): ClockState => ({ now: clock.now(), offsetMs: clock.offsetMs });
  app.get('/clock', async () => clockState());
  app.post('/clock', { schema: adminSchemas.clock }, async (request) => {
    const body = request.body as { offsetMs?: number; advanceMs?: number };
    clock.setOffset(body.offsetMs ?? clock.offsetMs + (body.advanceMs ?? 0));
    return clockState();
  });

  app.post('/faults', { schema: adminSchemas.fault }, async (request, reply) => {
    const id = faults.add(request.body as FaultSpec);
    return reply.code(201).send({ id });
  });
  app.get('/faults', async () => ({ faults: faults.list() }));
  app.delete('/faults', async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });

  app.get('/requests', async () => ({ requests: requestLog.list() }));
  app.delete('/requests', async (_request, reply) => {
    requestLog.clear();
    return reply.code(204).send();
  });

  app.get('/stats', async (): Promise<ServerStats> => ({
    tokens: ably.tokens.size,
    tokenBytes: ably.tokens.bytes,
    nonces: ably.nonces.size,
    nonceBytes: ably.nonces.bytes,
    channels: ably.messages.channelCount,
    messageBytes: ably.messages.bytes,
    idempotencyBytes: ably.idempotency.bytes,
    apps: options.apps.size,
    requestLog: requestLog.size,
    requestLogBytes: requestLog.bytes,
    pendingFaults: faults.size,
    pendingFaultBytes: faults.bytes,
    grantBytes: ably.grants.bytes,
    presenceBytes: sum(options.apps.all(), (app) => app.presence.bytes + app.presence.history.bytes),
    statsBytes: sum(options.apps.all(), (app) => app.stats.bytes),
  }));

  app.post('/reset', async (_request, reply) => {
    options.apps.reset();
    faults.clear();
    requestLog.clear();
    clock.setOffset(0);
    options.resetOthers();
    return reply.code(204).send();
  });
};

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
