import type { FastifyInstance, onResponseHookHandler } from 'fastify';
import { hooksOf } from '../operations/security';
import type { AblyApps } from './apps';
import type { StatsCounter } from './stats';

const TOKEN_REQUEST_ROUTE = /^\/keys\/:[^/]+\/requestToken$/;

/**
 * Counts what the Ably routes registered after this call answer, in the stats of the app each
 * request belongs to: `apiRequests.tokenRequests.*` for `requestToken`, `apiRequests.all.*` for
 * the others (`succeeded` below status 400, else `failed`); `GET /time` is not counted. Which
 * counters a route feeds is settled when it is registered, so the hook added to it does no path
 * matching per request, and a route with nothing to count gets no hook at all.
 */
export function installStatsCounting(app: FastifyInstance, apps: AblyApps): void {
  app.addHook('onRoute', (route) => {
    if (route.url === '/time') return;
    const tokens = TOKEN_REQUEST_ROUTE.test(route.url);
    const succeeded: StatsCounter = tokens ? 'apiRequests.tokenRequests.succeeded' : 'apiRequests.all.succeeded';
    const failed: StatsCounter = tokens ? 'apiRequests.tokenRequests.failed' : 'apiRequests.all.failed';
    // Callback style, not async: it runs on every response of the route.
    const count: onResponseHookHandler = (request, reply, done) => {
      const state = apps.forRequest(request);
      state.stats.count(reply.statusCode < 400 ? succeeded : failed, 1, state.clock.now());
      done();
    };
    route.onResponse = [...hooksOf(route.onResponse), count];
  });
}
