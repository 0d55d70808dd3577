import type { FastifyPluginAsync } from 'fastify';
import { adminSchemas } from '../admin/schemas';
import type { FaultInjector } from '../admin/faults';
import type { ClockState, FaultSpec } from '../admin/types';
import type { SkewableClock } from '../clock';
import type { TokenAuthority } from './authority';
import type { ResourceStore } from './resource-store';

/** What the spec server's test controls act on. */
export interface SpecAdminOptions {
  authorities: readonly TokenAuthority[];
  clock: SkewableClock;
  faults: FaultInjector;
  store?: ResourceStore;
}

/**
 * The spec server's test controls, under `/_admin` with `--admin`:
 *
 * - `POST /tokens/expire` `{ token? }`, `POST /tokens/revoke` `{ token? }`: that bearer token (or
 *   every one) is refused with 401 `invalid_token` from now on.
 * - `POST /faults` {@link FaultSpec} (by `operation` — its `operationId` or `"GET /path/{id}"` —
 *   or by `path`), `GET /faults`, `DELETE /faults`: a 429 with `Retry-After`, a 5xx, a slow answer.
 * - `GET /clock`, `POST /clock` `{ offsetMs }` or `{ advanceMs }`: skew the clock tokens expire by.
 * - `GET /stats`: the `--stateful` store's size and the pending faults'; `POST /reset`: marks, faults, clock and store back to start.
 */
export const specAdminRoutes: FastifyPluginAsync<SpecAdminOptions> = async (app, options) => {
  const { authorities, clock, faults, store } = options;
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  for (const action of ['expire', 'revoke'] as const) {
    app.post(`/tokens/${action}`, { schema: adminSchemas.tokenMark }, async (request) => {
      const { token } = (request.body ?? {}) as { token?: string };
      return { affected: authorities.reduce((sum, authority) => sum + authority[action](token), 0) };
    });
  }
  app.post('/faults', { schema: adminSchemas.fault }, async (request, reply) => reply.code(201).send({ id: faults.add(request.body as FaultSpec) }));
  app.get('/faults', async () => ({ faults: faults.list() }));
  app.delete('/faults', async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });
  const clockState = (): ClockState => ({ now: clock.now(), offsetMs: clock.offsetMs });
  app.get('/clock', async () => clockState());
  app.post('/clock', { schema: adminSchemas.clock }, async (request) => {
    const body = request.body as { offsetMs?: number; advanceMs?: number };
    clock.setOffset(body.offsetMs ?? clock.offsetMs + (body.advanceMs ?? 0));
    return clockState();
  });
  app.get('/stats', async () => ({ resources: store?.size ?? 0, stateBytes: store?.bytes ?? 0, pendingFaults: faults.size, pendingFaultBytes: faults.bytes }));
  app.post('/reset', async (_request, reply) => {
    for (const authority of authorities) authority.reset();
    faults.clear();
    clock.setOffset(0);
    store?.clear();
    return reply.code(204).send();
  });
};
