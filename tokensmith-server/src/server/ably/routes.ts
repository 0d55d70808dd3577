import type { FastifyPluginAsync } from 'fastify';
import { operationSchemas } from '../../../../generated/ably.validation';
import { routeFor } from '../lib/routes';
import { responseFormat, sendWire } from '../lib/wire';
import { authenticate } from './authenticate';
import { issueToken, type RequestTokenBody } from './issue-token';
import type { HistoryQuery } from './message-log';
import { history, publish, type IncomingMessage } from './messages';
import type { AblyServerState } from './state';

/** Options of {@link ablyRoutes}. */
export interface AblyRoutesOptions {
  /** The state the routes read and write (shared with the test controls). */
  state: AblyServerState;
}

/**
 * The Ably side: `GET /time`, `POST /keys/{keyName}/requestToken`, and
 * `POST`/`GET /channels/{channelId}/messages`. Errors reach the server's error handler, which
 * answers in Ably's envelope.
 */
export const ablyRoutes: FastifyPluginAsync<AblyRoutesOptions> = async (app, { state }) => {
  routeFor(app, 'GET /time', operationSchemas, async (request, reply) =>
    sendWire(reply, 200, [state.clock.now()], responseFormat(request)),
  );

  routeFor(app, 'POST /keys/{keyName}/requestToken', operationSchemas, async (request, reply) => {
    const { keyName } = request.params as { keyName: string };
    const details = issueToken(request, keyName, request.body as RequestTokenBody, state);
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return sendWire(reply, 200, details, responseFormat(request));
  });

  routeFor(app, 'POST /channels/{channelId}/messages', operationSchemas, async (request, reply) => {
    const principal = await authenticate(request, state);
    const { channelId } = request.params as { channelId: string };
    const result = publish(state, principal, channelId, request.body as IncomingMessage | IncomingMessage[]);
    return sendWire(reply, 201, result, responseFormat(request));
  });

  routeFor(app, 'GET /channels/{channelId}/messages', operationSchemas, async (request, reply) => {
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
};
