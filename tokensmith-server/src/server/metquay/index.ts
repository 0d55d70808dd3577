import type { FastifyPluginAsync } from 'fastify';
import { metquaySecurity, type Logger, type MetquayPaths } from 'tokensmith';
import { metquayOperationSchemas as operationSchemas } from 'tokensmith/schemas';
import { metquayAdminRoutes } from './admin';
import { operationHandlers } from '../lib/routes';
import { serveOperations } from '../operations/serve';
import { bundledSource } from '../operations/source';
import { authenticateHandler, authenticateRouteOptions } from './authenticate';
import { metquayAuthRules } from './auth-rules';
import type { MetquayServerConfig } from './config';
import { customersHandler } from './customers-route';
import { installMetquayErrorHandling } from './envelope';
import { type MetquayServerClock, MetquayServerState } from './state';

export { DEFAULT_METQUAY_SERVER_CONFIG, resolveMetquayServerConfig } from './config';
export type { MetquayClientCredentials, MetquayServerConfig, ResolvedMetquayServerConfig } from './config';
export { MetquayServerState } from './state';
export type { MetquayServerClock } from './state';
export { metquayAdminRoutes } from './admin';
export type { MetquayAdminRoutesOptions } from './admin';
export type { MetquayErrorBody } from './envelope';
export type { LocalCustomer } from './customers';

/** The logger the plugin reports configuration warnings to: tokensmith's pino-shaped `warn`. */
export type MetquayServerLogger = Pick<Logger, 'warn'>;

/** Options of {@link metquayPlugin}. */
export interface MetquayPluginOptions {
  /** Partial config merged over {@link DEFAULT_METQUAY_SERVER_CONFIG}. Ignored when `state` is given. */
  config?: Partial<MetquayServerConfig>;
  /** Server time source (the test controls skew it). Default `Date.now`. Ignored when `state` is given. */
  clock?: MetquayServerClock;
  /** Receives a warning when no client is configured. Default: the Fastify logger. */
  logger?: MetquayServerLogger;
  /** Registers the test controls at `<prefix>/_admin/metquay/…`. Default false. */
  admin?: boolean;
  /** State to use, so the caller can reset it from elsewhere; default a new one from `config`. */
  state?: MetquayServerState;
}

/**
 * The Metquay side of the local auth server, as a Fastify 5 plugin. Register it with the API's
 * base path as prefix; every error under that prefix answers `{ code, message }`.
 *
 * Routes: the bundled spec's operations, `POST /authenticate` and `GET /customers?first&limit`
 * (bearer, checked by the Metquay auth rules), served by the same machinery as Ably's and
 * `serve --spec`'s; with `admin`, the test controls of {@link metquayAdminRoutes} under `/_admin/metquay`.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * await app.register(metquayPlugin, {
 *   prefix: '/api/v1',
 *   config: { clients: [{ accessKey: 'demo-access', secretKey: 'demo-secret' }] },
 *   admin: true,
 * });
 * ```
 */
export const metquayPlugin: FastifyPluginAsync<MetquayPluginOptions> = async (app, options) => {
  const state = options.state ?? new MetquayServerState(options.config, options.clock);
  if (state.config.clients.length === 0) {
    (options.logger ?? app.log).warn({}, 'metquay: no clients configured; every authenticate call will be refused');
  }
  installMetquayErrorHandling(app);
  serveOperations(app, {
    source: bundledSource('the Metquay spec', operationSchemas, metquaySecurity.operationSecurity),
    handlerFor: operationHandlers<MetquayPaths>({
      'POST /authenticate': authenticateHandler(state),
      'GET /customers': customersHandler(state),
    }),
    rules: metquayAuthRules(state),
    routeExtras: (operation) => (operation.key === 'POST /authenticate' ? authenticateRouteOptions(state) : {}),
  });
  if (options.admin) await app.register(metquayAdminRoutes, { prefix: '/_admin/metquay', state });
};
