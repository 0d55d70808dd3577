import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { components } from '../../../../generated/ably';
import { operationSchemas } from '../../../../generated/ably.validation';
import { TokensmithError } from 'tokensmith';
import { pageQuery, setPageLinks, type RawPageQuery } from '../lib/paging';
import { routeFor } from '../lib/routes';
import { responseFormat, sendWire } from '../lib/wire';
import type { AblyApps } from './apps';
import { authenticate } from './authenticate';
import { batchPresence, batchPublish, type BatchPublishSpec } from './batch';
import { permits } from './capability-rules';
import { issueToken, type RequestTokenBody } from './issue-token';
import { channelDetails, history, publish, type IncomingMessage } from './messages';
import { changeMessage, getMessage, listAnnotations, messageVersions, publishAnnotations, type IncomingAnnotation, type MessageChange } from './mutable-messages';
import { requirePresenceRead, type PresenceFilter } from './presence';
import { revokeTokens } from './revoke-tokens';
import { statsPage } from './stats-page';

/** Options of {@link ablyRoutes}. */
export interface AblyRoutesOptions {
  /** The apps the routes serve (shared with the test controls). */
  apps: AblyApps;
}

const TOKEN_REQUEST = /^\/keys\/[^/]+\/requestToken$/;
const MAX_BATCH_CHANNELS = 100;

// The `X-Ably-Version` a request declares; the newest when it declares none or an unreadable one.
function protocolVersion(request: FastifyRequest): number {
  const header = request.headers['x-ably-version'];
  const version = typeof header === 'string' ? Number(header) : Number.NaN;
  return Number.isFinite(version) ? version : Number.POSITIVE_INFINITY;
}

// The sandbox's test hook: a publish with `_forceNack=true` is refused with 40099.
function refuseForcedNack(request: FastifyRequest): void {
  const forceNack = (request.query as { _forceNack?: unknown })['_forceNack'];
  if (forceNack === 'true' || forceNack === true) {
    throw new TokensmithError(40099, 'publish refused: _forceNack asked for a negative acknowledgement (a sandbox test hook)');
  }
}

/**
 * The Ably side: `GET /time`, `POST /keys/{keyName}/requestToken`, `POST
 * /keys/{keyName}/revokeTokens`, `GET /channels/{channelId}`, `POST`/`GET
 * /channels/{channelId}/messages`, `GET /channels/{channelId}/presence` and its `/history`,
 * `POST /messages` and `GET /presence` (batches) and `GET /stats`, each against the app its
 * credentials name. Paged routes share one set of rules and `Link` headers (lib/paging.ts).
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
    refuseForcedNack(request);
    const result = publish(state, principal, channelId, request.body as IncomingMessage | IncomingMessage[]);
    return sendWire(reply, 201, result, responseFormat(request));
  });

  routeFor(app, 'GET /channels/{channelId}/messages/{serial}', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channelId, serial } = request.params as { channelId: string; serial: string };
    const format = responseFormat(request);
    return sendWire(reply, 200, getMessage(state, principal, channelId, serial, format), format, { mayHoldBinary: true });
  });

  routeFor(app, 'PATCH /channels/{channelId}/messages/{serial}', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channelId, serial } = request.params as { channelId: string; serial: string };
    const result = changeMessage(state, principal, channelId, serial, request.body as MessageChange);
    return sendWire(reply, 200, result, responseFormat(request));
  });

  routeFor(app, 'GET /channels/{channelId}/messages/{serial}/versions', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channelId, serial } = request.params as { channelId: string; serial: string };
    const query = pageQuery(request.query as RawPageQuery);
    const format = responseFormat(request);
    const page = messageVersions(state, principal, channelId, serial, query, format);
    setPageLinks(reply, 'versions', query, page.nextCursor);
    return sendWire(reply, 200, page.items, format, { mayHoldBinary: true });
  });

  routeFor(app, 'POST /channels/{channelId}/messages/{serial}/annotations', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channelId, serial } = request.params as { channelId: string; serial: string };
    publishAnnotations(state, principal, channelId, serial, request.body as IncomingAnnotation | IncomingAnnotation[]);
    return sendWire(reply, 201, {}, responseFormat(request));
  });

  routeFor(app, 'GET /channels/{channelId}/messages/{serial}/annotations', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channelId, serial } = request.params as { channelId: string; serial: string };
    const query = pageQuery(request.query as RawPageQuery);
    const page = listAnnotations(state, principal, channelId, serial, query);
    setPageLinks(reply, 'annotations', query, page.nextCursor);
    return sendWire(reply, 200, page.items, responseFormat(request), { mayHoldBinary: true });
  });

  routeFor(app, 'GET /channels/{channelId}/presence', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channelId } = request.params as { channelId: string };
    requirePresenceRead(principal, channelId);
    const raw = request.query as RawPageQuery & PresenceFilter;
    const query = pageQuery({ ...raw, direction: 'forwards' });
    const filter = { ...(raw.clientId === undefined ? {} : { clientId: raw.clientId }), ...(raw.connectionId === undefined ? {} : { connectionId: raw.connectionId }) };
    const page = state.presence.present(channelId, query, filter);
    setPageLinks(reply, 'presence', query, page.nextCursor, filter);
    return sendWire(reply, 200, page.items, responseFormat(request));
  });

  routeFor(app, 'GET /channels/{channelId}/presence/history', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channelId } = request.params as { channelId: string };
    if (!permits(principal.capability, channelId, 'history')) {
      throw new TokensmithError(40160, 'operation not permitted: history on this channel is outside the capability');
    }
    const query = pageQuery(request.query as RawPageQuery);
    const page = state.presence.history.history(channelId, query);
    setPageLinks(reply, 'history', query, page.nextCursor);
    return sendWire(reply, 200, page.items, responseFormat(request));
  });

  routeFor(app, 'POST /messages', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const body = request.body as BatchPublishSpec | BatchPublishSpec[];
    const results = batchPublish(state, principal, Array.isArray(body) ? body : [body]);
    // Protocol versions before 3 answer each spec with its bare list of channel results (a single
    // spec: one flat list), as `request('POST', '/messages', 2, …)` expects; later ones a batch result.
    if (protocolVersion(request) < 3) {
      const flat = results.map((result) => result.results);
      return sendWire(reply, 201, Array.isArray(body) ? flat : flat[0], responseFormat(request));
    }
    return sendWire(reply, 201, results, responseFormat(request));
  });

  routeFor(app, 'GET /presence', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channels } = request.query as { channels: string };
    const names = channels.split(',').filter((name) => name !== '');
    if (names.length === 0 || names.length > MAX_BATCH_CHANNELS) {
      throw new TokensmithError(40003, `query.channels must name between 1 and ${MAX_BATCH_CHANNELS} channels, separated by commas`);
    }
    return sendWire(reply, 200, batchPresence(state, principal, names), responseFormat(request));
  });

  routeFor(app, 'GET /channels/{channelId}/messages', operationSchemas, async (request, reply) => {
    const state = apps.forRequest(request);
    const principal = await authenticate(request, state);
    const { channelId } = request.params as { channelId: string };
    const query = pageQuery(request.query as RawPageQuery);
    const format = responseFormat(request);
    const page = history(state, principal, channelId, query, format);
    setPageLinks(reply, 'messages', query, page.nextCursor);
    return sendWire(reply, 200, page.items, format, { mayHoldBinary: true });
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
