import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { components } from '../../../../generated/ably';
import { operationSchemas } from '../../../../generated/ably.validation';
import { TokensmithError } from 'tokensmith';
import { routeFor } from '../lib/routes';
import { responseFormat, sendWire } from '../lib/wire';
import type { AblyApps } from './apps';
import { authenticate } from './authenticate';
import { issueToken, type RequestTokenBody } from './issue-token';
import type { HistoryQuery } from './message-log';
import { channelDetails, history, publish, type IncomingMessage } from './messages';
import { revokeTokens } from './revoke-tokens';
import type { StatsQuery } from './stats';

/** Options of {@link ablyRoutes}. */
export interface AblyRoutesOptions {
  /** The apps the routes serve (shared with the test controls). */
  apps: AblyApps;
}

const TOKEN_REQUEST = /^\/keys\/[^/]+\/requestToken$/;

/**
 * The Ably side: `GET /time`, `POST /keys/{keyName}/requestToken`, `POST
 * /keys/{keyName}/revokeTokens`, `GET /channels/{channelId}`, `POST`/`GET
 * /channels/{channelId}/messages` and `GET /stats`, each against the app its credentials name.
 * Errors reach the server's error handler, which answers in Ably's envelope.
 */
export const ablyRoutes: FastifyPluginAsync<AblyRoutesOptions> = async (app, { apps }) => {
  routeFor(app, 'GET /time', operationSchemas, async (request, reply) =>
    sendWire(reply, 200, [apps.main.clock.now()], responseFormat(request)),
  );

  routeFor(app, 'POST /keys/{keyName}/requestToken', operationSchemas, async (request, reply) => {
    const { keyName } = request.params as { keyName: string };
    const details = issueToken(request, keyName, request.body as RequestTokenBody, apps.forKeyName(keyName));
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return sendWire(reply, 200, details, responseFormat(request));
  });

  routeFor(app, 'POST /keys/{keyName}/revokeTokens', operationSchemas, async (request, reply) => {
    const { keyName } = request.params as { keyName: string };
    const state = apps.forKeyName(keyName);
    const principal = await authenticate(request, state);
    const result = revokeTokens(state, principal, keyName, request.body as components['schemas']['RevokeTokensRequest']);
    return sendWire(reply, 201, result, responseFormat(request));
  });

  routeFor(app, 'GET /channels/{channelId}', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channelId } = request.params as { channelId: string };
    return sendWire(reply, 200, channelDetails(state, principal, channelId), responseFormat(request));
  });

  routeFor(app, 'POST /channels/{channelId}/messages', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channelId } = request.params as { channelId: string };
    const result = publish(state, principal, channelId, request.body as IncomingMessage | IncomingMessage[]);
    return sendWire(reply, 201, result, responseFormat(request));
  });

  routeFor(app, 'GET /channels/{channelId}/messages', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channelId } = request.params as { channelId: string };
    const query = request.query as Partial<HistoryQuery>;
    const format = responseFormat(request);
    const messages = history(state, principal, channelId, {
      limit: query.limit ?? 100,
      direction: query.direction ?? 'backwards',
      ...(query.start === undefined ? {} : { start: query.start }),
      ...(query.end === undefined ? {} : { end: query.end }),
    }, format);
    return sendWire(reply, 200, messages, format, { mayHoldBinary: true });
  });

  routeFor(app, 'GET /stats', operationSchemas, async (request, reply) => statsPage(request, reply, apps));

  // Stats count what the routes above answered, against the app the request belongs to.
  // Callback style, not async: it runs on every response.
  app.addHook('onResponse', (request, reply, done) => {
    if (request.url.startsWith('/time')) return done();
    const state = apps.forRequest(request);
    const succeeded = reply.statusCode < 400;
    const path = request.url.split('?')[0] ?? '';
    const counter = TOKEN_REQUEST.test(path)
      ? (succeeded ? 'apiRequests.tokenRequests.succeeded' : 'apiRequests.tokenRequests.failed')
      : (succeeded ? 'apiRequests.all.succeeded' : 'apiRequests.all.failed');
    state.stats.count(counter, 1, state.clock.now());
    done();
  });
};

async function statsPage(request: FastifyRequest, reply: FastifyReply, apps: AblyApps): Promise<FastifyReply> {
  const state = apps.forRequest(request);
  const principal = await authenticate(request, state);
  if (!Object.values(principal.capability).some((operations) => operations.includes('stats') || operations.includes('*'))) {
    throw new TokensmithError(40160, 'operation not permitted: stats is outside the capability');
  }
  const query = request.query as Partial<StatsQuery>;
  const now = state.clock.now();
  if (query.start !== undefined && query.start > (query.end ?? now)) throw new TokensmithError(40003, 'query.start must not be after query.end');
  const page = state.stats.read({
    direction: query.direction ?? 'backwards',
    limit: query.limit ?? 100,
    unit: query.unit ?? 'minute',
    ...(query.start === undefined ? {} : { start: query.start }),
    ...(query.end === undefined ? {} : { end: query.end }),
  }, now);
  if (page.next) {
    const { direction, limit, unit, start, end } = page.next;
    const params = new URLSearchParams({ direction, limit: String(limit), unit });
    if (start !== undefined) params.set('start', String(start));
    if (end !== undefined) params.set('end', String(end));
    reply.header('link', `<./stats?${params.toString()}>; rel="next"`);
  }
  return sendWire(reply, 200, page.items, responseFormat(request));
}
