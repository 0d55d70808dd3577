import type { FastifyRequest } from 'fastify';
import { TokensmithError } from 'tokensmith';
import type { AuthRules, SchemeCheck } from '../operations/security';
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
    /** Set by the Ably auth rules on routes whose operation needs credentials; null elsewhere. */
    ablyAuth: AblyRequestAuth | null;
  }
}

/**
 * Ably's auth rules (see operations/security.ts): `basicAuth` and `bearerAuth` are checked alike, by
 * Ably's own reading of the `Authorization` header ({@link authenticate}), so whichever credential
 * came is judged and a refusal is Ably's error for it (no header 40101, unknown key 40400 as 401,
 * revoked token 40141, …), thrown to the server's error handler. What a principal may do (its
 * kind, its capability) is for the handlers. Checks run as a `preHandler`: a request the route
 * schema refuses gets its 400 first. `appOf` picks the app whose keys judge the request.
 */
export function ablyAuthRules(appOf: (request: FastifyRequest) => AblyServerState): AuthRules<never> {
  const check: SchemeCheck<never> = async (request) => {
    const state = appOf(request);
    request.ablyAuth = { state, principal: await authenticate(request, state) };
    return undefined;
  };
  const verifier = (): SchemeCheck<never> => check;
  return {
    phase: 'preHandler',
    schemes: { basicAuth: verifier, bearerAuth: verifier },
    rank: () => 0,
    refuse: () => {
      throw new TokensmithError(50000, 'the Ably auth rules refuse by throwing');
    },
  };
}

/** The principal and app the hook set; only on routes whose operation needs credentials. */
export function ablyAuthOf(request: FastifyRequest): AblyRequestAuth {
  if (request.ablyAuth === null) throw new TokensmithError(50000, `${request.routeOptions.url ?? request.url} has no credentials requirement in the spec`);
  return request.ablyAuth;
}
