import type { FastifyRequest } from 'fastify';
import type { AuthRules } from '../operations/security';
import { sendMetquayError } from './envelope';
import type { MetquayServerState } from './state';
import type { TokenRejection } from './tokens';

/** Why the Metquay rules refused a request: its status, message and the header that goes with it. */
export interface MetquayRefusal {
  status: 401 | 429;
  message: string;
  header: readonly [name: string, value: string];
}

const INVALID_TOKEN = ['www-authenticate', 'Bearer error="invalid_token"'] as const;

const REJECTIONS: Readonly<Record<TokenRejection, MetquayRefusal>> = {
  missing: { status: 401, message: 'missing bearer token', header: INVALID_TOKEN },
  malformed: { status: 401, message: 'access token is malformed', header: INVALID_TOKEN },
  invalid: { status: 401, message: 'access token is invalid', header: INVALID_TOKEN },
  expired: { status: 401, message: 'access token has expired', header: INVALID_TOKEN },
  revoked: { status: 401, message: 'access token has been revoked', header: INVALID_TOKEN },
};

/**
 * Metquay's auth rules: `bearerAuth` needs an access token this server's `POST /authenticate`
 * issued, validly signed, unexpired and unrevoked (else 401 naming why, with
 * `WWW-Authenticate: Bearer error="invalid_token"`), then one unit of its subject's per-minute
 * budget (else 429 with `Retry-After`). Checked on request, before the query is validated.
 */
export function metquayAuthRules(state: MetquayServerState): AuthRules<MetquayRefusal> {
  const checkBearer = async (request: FastifyRequest): Promise<MetquayRefusal | undefined> => {
    const token = bearerToken(request.headers.authorization);
    const check = token === undefined ? ({ ok: false, reason: 'missing' } as const) : await state.tokens.verify(token);
    if (!check.ok) return REJECTIONS[check.reason];
    const decision = state.clientLimiter.take(`sub:${check.subject}`, state.clock.now());
    if (decision.allowed) return undefined;
    return {
      status: 429,
      message: `rate limit of ${state.config.rateLimitPerMinute} requests per minute exceeded`,
      header: ['retry-after', String(decision.retryAfterSeconds)],
    };
  };
  return {
    phase: 'onRequest',
    schemes: { bearerAuth: () => checkBearer },
    rank: (refusal) => (refusal.status === 429 ? 2 : 1),
    refuse: (refusal, reply) => sendMetquayError(reply.header(refusal.header[0], refusal.header[1]), refusal.status, refusal.message),
  };
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
