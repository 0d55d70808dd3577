import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TokensmithError } from 'tokensmith';
import type { AblyApps } from './apps';
import { authenticate } from './authenticate';
import type { Principal } from './principal';
import type { AblyServerState } from './state';

/** Who an authenticated Ably request acts as, and the app it belongs to. */
export interface AblyRequestAuth {
  /** The app the request's credentials (or the key name in its path) belong to. */
  state: AblyServerState;
  /** The identity its credentials were accepted as. */
  principal: Principal;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the Ably auth hook on routes whose operation needs credentials; null elsewhere. */
    ablyAuth: AblyRequestAuth | null;
  }
}

// An operation needs credentials when the spec lists requirements and none of them is empty
// (`{}` makes auth optional: `requestToken` checks its own Basic header or signed body).
function needsCredentials(security: ReadonlyArray<Readonly<Record<string, unknown>>> | undefined): boolean {
  return security !== undefined && security.length > 0 && security.every((alternative) => Object.keys(alternative).length > 0);
}

/**
 * Authenticates every Ably route whose operation needs credentials (its spec `security`, carried
 * in the route's `config.securityRequirements`), once, before the handler, and puts the principal
 * and its app on `request.ablyAuth`. A `preHandler`, so a request the route schema refuses gets its
 * 400 first, as when handlers authenticated themselves.
 */
export function installAblyAuth(app: FastifyInstance, apps: AblyApps): void {
  app.decorateRequest('ablyAuth', null);
  app.addHook('preHandler', async (request) => {
    if (!needsCredentials(request.routeOptions.config.securityRequirements)) return;
    const state = apps.forRequest(request);
    request.ablyAuth = { state, principal: await authenticate(request, state) };
  });
}

/** The principal and app the hook set; only on routes whose operation needs credentials. */
export function ablyAuthOf(request: FastifyRequest): AblyRequestAuth {
  if (request.ablyAuth === null) throw new TokensmithError(50000, `${request.routeOptions.url ?? request.url} has no credentials requirement in the spec`);
  return request.ablyAuth;
}
