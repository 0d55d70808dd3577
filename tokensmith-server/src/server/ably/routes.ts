import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ablySecurity, TokensmithError, type AblyPaths } from 'tokensmith';
import { ablyOperationSchemas as operationSchemas } from 'tokensmith/schemas';
import { pageQuery, setPageLinks } from '../lib/paging';
import { operationHandlers } from '../lib/routes';
import { serveOperations } from '../operations/serve';
import { bundledSource } from '../operations/source';
import { responseFormat, sendWire } from '../lib/wire';
import type { AblyApps } from './apps';
import { ablyAuthOf, ablyAuthRules } from './auth-hook';
import { batchPresence, batchPublish } from './batch';
import { permits } from './capability-rules';
import { issueToken, TOKEN_CACHE_HEADERS } from './issue-token';
import { channelDetails, history, publish } from './messages';
import { changeMessage, getMessage, listAnnotations, messageVersions, publishAnnotations } from './mutable-messages';
import { requirePresenceRead } from './presence';
import { revokeTokens } from './revoke-tokens';
import { statsPage } from './stats-page';
import { installStatsCounting } from './stats-hook';

/** Options of {@link ablyRoutes}. */
export interface AblyRoutesOptions {
  /** The apps the routes serve (shared with the test controls). */
  apps: AblyApps;
}

const MAX_BATCH_CHANNELS = 100;

// The `X-Ably-Version` a request declares; the newest when it declares none or an unreadable one.
function protocolVersion(request: FastifyRequest): number {
  const header = request.headers['x-ably-version'];
  const version = typeof header === 'string' ? Number(header) : Number.NaN;
  return Number.isFinite(version) ? version : Number.POSITIVE_INFINITY;
}

// The sandbox's test hook: a publish with `_forceNack=true` is refused with 40099.
// The hook is not part of the spec, so the operation's query type does not name it.
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
 * credentials name. The routes are the bundled spec's operations, served by the common machinery
 * (operations/serve.ts) with Ably's auth rules (auth-hook.ts) checking every operation the spec's
 * `security` protects; handlers read `request.ablyAuth`. Paged routes share one set of rules and `Link`
 * headers (lib/paging.ts). Errors reach the server's error handler, which answers in Ably's envelope.
 */
export const ablyRoutes: FastifyPluginAsync<AblyRoutesOptions> = async (app, { apps }) => {
  app.decorateRequest('ablyAuth', null);
  // Stats count what the routes below answer, against the app each request belongs to.
  installStatsCounting(app, apps);
  const handlerFor = operationHandlers<AblyPaths>({
    'GET /time': async (request, reply) => sendWire(reply, 200, [apps.main.clock.now()], responseFormat(request)),

    // Not async: the busiest route answers synchronously, so Fastify has no promise to wait on and
    // no microtask to run per request; an error thrown here reaches the same error handler.
    'POST /keys/{keyName}/requestToken': (request, reply) => {
      const { keyName } = request.params;
      const details = issueToken(request.headers.authorization, keyName, request.body, apps.forKeyName(keyName));
      reply.headers(TOKEN_CACHE_HEADERS);
      sendWire(reply, 200, details, responseFormat(request));
    },

    'POST /keys/{keyName}/revokeTokens': async (request, reply) => {
      const { keyName } = request.params;
      const { state, principal } = ablyAuthOf(request);
      const result = revokeTokens(state, principal, keyName, request.body);
      return sendWire(reply, 201, result, responseFormat(request));
    },

    'GET /channels/{channelId}': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const { channelId } = request.params;
      return sendWire(reply, 200, channelDetails(state, principal, channelId), responseFormat(request));
    },

    'POST /channels/{channelId}/messages': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const { channelId } = request.params;
      refuseForcedNack(request);
      const result = publish(state, principal, channelId, request.body);
      return sendWire(reply, 201, result, responseFormat(request));
    },

    'GET /channels/{channelId}/messages/{serial}': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const { channelId, serial } = request.params;
      const format = responseFormat(request);
      return sendWire(reply, 200, getMessage(state, principal, channelId, serial, format), format, { mayHoldBinary: true });
    },

    'PATCH /channels/{channelId}/messages/{serial}': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const { channelId, serial } = request.params;
      const result = changeMessage(state, principal, channelId, serial, request.body);
      return sendWire(reply, 200, result, responseFormat(request));
    },

    'GET /channels/{channelId}/messages/{serial}/versions': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const { channelId, serial } = request.params;
      const query = pageQuery(request.query);
      const format = responseFormat(request);
      const page = messageVersions(state, principal, channelId, serial, query, format);
      setPageLinks(reply, 'versions', query, page.nextCursor);
      return sendWire(reply, 200, page.items, format, { mayHoldBinary: true });
    },

    'POST /channels/{channelId}/messages/{serial}/annotations': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const { channelId, serial } = request.params;
      publishAnnotations(state, principal, channelId, serial, request.body);
      return sendWire(reply, 201, {}, responseFormat(request));
    },

    'GET /channels/{channelId}/messages/{serial}/annotations': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const { channelId, serial } = request.params;
      const query = pageQuery(request.query);
      const page = listAnnotations(state, principal, channelId, serial, query);
      setPageLinks(reply, 'annotations', query, page.nextCursor);
      return sendWire(reply, 200, page.items, responseFormat(request), { mayHoldBinary: true });
    },

    'GET /channels/{channelId}/presence': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const { channelId } = request.params;
      requirePresenceRead(principal, channelId);
      const raw = request.query;
      const query = pageQuery({ ...raw, direction: 'forwards' });
      const filter = { ...(raw.clientId === undefined ? {} : { clientId: raw.clientId }), ...(raw.connectionId === undefined ? {} : { connectionId: raw.connectionId }) };
      const page = state.presence.present(channelId, query, filter);
      setPageLinks(reply, 'presence', query, page.nextCursor, filter);
      return sendWire(reply, 200, page.items, responseFormat(request));
    },

    'GET /channels/{channelId}/presence/history': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const { channelId } = request.params;
      if (!permits(principal.capability, channelId, 'history')) {
        throw new TokensmithError(40160, 'operation not permitted: history on this channel is outside the capability');
      }
      const query = pageQuery(request.query);
      const page = state.presence.history.history(channelId, query);
      setPageLinks(reply, 'history', query, page.nextCursor);
      return sendWire(reply, 200, page.items, responseFormat(request));
    },

    'POST /messages': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const body = request.body;
      const results = batchPublish(state, principal, Array.isArray(body) ? body : [body]);
      // Protocol versions before 3 answer each spec with its bare list of channel results (a single
      // spec: one flat list), as `request('POST', '/messages', 2, …)` expects; later ones a batch result.
      if (protocolVersion(request) < 3) {
        const flat = results.map((result) => result.results);
        return sendWire(reply, 201, Array.isArray(body) ? flat : flat[0], responseFormat(request));
      }
      return sendWire(reply, 201, results, responseFormat(request));
    },

    'GET /presence': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const { channels } = request.query;
      const names = channels.split(',').filter((name) => name !== '');
      if (names.length === 0 || names.length > MAX_BATCH_CHANNELS) {
        throw new TokensmithError(40003, `query.channels must name between 1 and ${MAX_BATCH_CHANNELS} channels, separated by commas`);
      }
      return sendWire(reply, 200, batchPresence(state, principal, names), responseFormat(request));
    },

    'GET /channels/{channelId}/messages': async (request, reply) => {
      const { state, principal } = ablyAuthOf(request);
      const { channelId } = request.params;
      const query = pageQuery(request.query);
      const format = responseFormat(request);
      const page = history(state, principal, channelId, query, format);
      setPageLinks(reply, 'messages', query, page.nextCursor);
      return sendWire(reply, 200, page.items, format, { mayHoldBinary: true });
    },

    'GET /stats': async (request, reply) => statsPage(request, reply),
  });
  serveOperations(app, {
    source: bundledSource('the Ably spec', operationSchemas, ablySecurity.operationSecurity),
    handlerFor,
    rules: ablyAuthRules((request) => apps.forRequest(request)),
  });
};
