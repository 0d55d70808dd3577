import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MetquayOperations } from 'tokensmith';
import type { OperationHandler } from '../lib/routes';
import type { RouteExtras } from '../operations/serve';
import { findClient } from './credentials';
import { sendMetquayError } from './envelope';
import type { MetquayServerState } from './state';

const CREDENTIAL_FIELDS = ['accessKey', 'secretKey'] as const;
const AUTHENTICATE_BODY_LIMIT = 16 * 1024;

/** The answer, as the spec's `authenticate` operation gives it. */
type AuthenticateReply = MetquayOperations['authenticate']['responses'][200]['content']['application/json'];

/** The options `POST /authenticate` adds to its route: a small body limit, and the checks that come before validation. */
export function authenticateRouteOptions(state: MetquayServerState): RouteExtras {
  return {
    bodyLimit: AUTHENTICATE_BODY_LIMIT,
    // Runs before schema validation, whose type coercion would turn `123` into "123".
    preValidation: async (request: FastifyRequest, reply: FastifyReply) => {
      const limited = checkRate(state, request, reply);
      if (limited) return limited;
      const problem = credentialShapeProblem(request.body);
      if (problem) return sendMetquayError(reply, 400, problem);
      return undefined;
    },
  };
}

/**
 * `POST /authenticate`: access/secret keys in, an HS256 access token out.
 * Order: rate limit per IP, then shape (400) (both in {@link authenticateRouteOptions}), then credentials (401).
 */
export function authenticateHandler(state: MetquayServerState): OperationHandler<MetquayOperations['authenticate']> {
  return async (request, reply) => {
    const { accessKey, secretKey } = request.body;
    const client = findClient(state.config.clients, accessKey, secretKey);
    if (!client) return sendMetquayError(reply, 401, 'invalid accessKey or secretKey');
    const issued = await state.tokens.issue(client.accessKey);
    state.tokensIssued += 1;
    return reply
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .send({ accessToken: issued.accessToken, tokenType: 'bearer', expiresIn: issued.expiresIn } satisfies AuthenticateReply);
  };
}

function checkRate(state: MetquayServerState, request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const decision = state.authenticateLimiter.take(`ip:${request.ip}`, state.clock.now());
  if (decision.allowed) return undefined;
  reply.header('retry-after', String(decision.retryAfterSeconds));
  return sendMetquayError(reply, 429, 'too many authentication attempts; retry later');
}

/** Names the first field that is missing, not a string, or blank; undefined when all are fine. */
export function credentialShapeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'request body must be a JSON object with accessKey and secretKey';
  }
  for (const field of CREDENTIAL_FIELDS) {
    const value: unknown = (body as Record<string, unknown>)[field];
    if (value === undefined || value === null) return `${field} is required`;
    if (typeof value !== 'string') return `${field} must be a string`;
    if (value.trim().length === 0) return `${field} must not be blank`;
  }
  return undefined;
}
