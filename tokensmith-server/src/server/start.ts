import Fastify from 'fastify';
import { AblyServerState } from './ably/state';
import { ablyRoutes } from './ably/routes';
import { FaultInjector, installFaultInjection } from './admin/faults';
import { installRequestLog, RequestLog } from './admin/request-log';
import { adminRoutes } from './admin/routes';
import { SkewableClock, type ServerClock } from './clock';
import { loadServerConfig, resolveServerConfig, type ResolvedServerConfig, type ServerConfigInput } from './config';
import { demoServerConfig } from './demo-config';
import { installCors } from './lib/cors';
import { frameworkErrorHandler, installErrorHandling } from './lib/error-handling';
import { createScrubber, installErrorBodyScrubbing, scrubbingLogger } from './lib/scrub';
import { addressText, listenOn } from './lib/listen';
import { installQueryCoercion } from './lib/query-coercion';
import { addMsgpackParser } from './lib/wire';
import { silentLogger, type ServerLogger } from './logger';
import { registerMetquay } from './register-metquay';

/** Options of {@link startAuthServer}. */
export interface AuthServerOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; 0 (the default) picks a free one — read it from `url`. */
  port?: number;
  /**
   * The configuration: an object (partial; see {@link DEFAULT_SERVER_CONFIG}) or the path of a
   * JSON file holding one. Default: the demo config with {@link DEMO_CREDENTIALS}.
   */
  config?: ServerConfigInput | string;
  /** Base clock; the `/_admin/clock` control skews it. Default `Date.now`. */
  clock?: ServerClock;
  /** Where log lines go. Default: nowhere. */
  logger?: ServerLogger;
  /** Mounts the test controls under `/_admin`. Default false. */
  admin?: boolean;
}

/** A running local auth server. */
export interface AuthServer {
  /** Base URL, e.g. `http://127.0.0.1:54321`; the Metquay API is at `${url}/api/v1`. */
  url: string;
  /** The port actually bound. */
  port: number;
  /** The configuration in effect (it holds secrets: do not log it). */
  config: ResolvedServerConfig;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Starts the local auth server: the Ably token, time and channel-message endpoints at the root,
 * the Metquay API under `/api/v1`, and, with `admin`, the test controls under `/_admin`.
 *
 * @throws {ConfigurationError} (40003) naming the bad field when the config is invalid, or naming
 * the address when it cannot be listened on (in use, not of this machine, needs privileges).
 * @example
 * ```ts
 * const server = await startAuthServer({ admin: true });
 * const rest = new Ably.Rest({ key: DEMO_CREDENTIALS.ablyKey, restHost: '127.0.0.1', port: Number(new URL(server.url).port), tls: false });
 * await rest.channels.get('chat').publish('greeting', 'hello');
 * await server.close();
 * ```
 */
export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const config = await resolveConfig(options.config);
  const secrets = [
    ...config.ably.keys.map((key) => key.secret),
    ...config.metquay.clients.map((client) => client.secretKey),
    ...(config.metquay.jwtSecret === undefined ? [] : [config.metquay.jwtSecret]),
  ];
  const scrub = createScrubber(secrets);
  // Nothing to scrub for a logger that drops everything: the default costs nothing per request.
  const logger = options.logger ? scrubbingLogger(options.logger, scrub) : silentLogger;
  const clock = new SkewableClock(options.clock);
  const admin = options.admin ?? false;
  const ably = new AblyServerState(config.ably, clock);
  const faults = new FaultInjector();
  const requestLog = new RequestLog(config.limits.requestLogSize);

  const app = Fastify({
    logger: false,
    bodyLimit: config.limits.bodyLimitBytes,
    routerOptions: { maxParamLength: 2048 },
    forceCloseConnections: true,
    frameworkErrors: frameworkErrorHandler,
    // Strict bodies; query strings are coerced by installQueryCoercion. Nothing is stripped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  // First hook: a preflight is answered before fault injection or routing.
  installCors(app, config.cors);
  installQueryCoercion(app);
  app.removeContentTypeParser('text/plain');
  addMsgpackParser(app);
  installErrorHandling(app, logger, scrub);
  installErrorBodyScrubbing(app, scrub);
  // Faults are queued and the request log is read only through the test controls; without them
  // (and without a logger) neither hook would do anything anyone sees.
  if (admin) installFaultInjection(app, faults);
  if (admin || options.logger) installRequestLog(app, requestLog, logger, clock, scrub);

  await app.register(ablyRoutes, { state: ably });
  const metquay = await registerMetquay(app, { config: config.metquay, clock, logger, admin });
  if (admin) {
    await app.register(adminRoutes, { prefix: '/_admin', ably, clock, faults, requestLog, resetOthers: metquay.reset });
  }

  const host = options.host ?? '127.0.0.1';
  await listenOn(app, host, options.port ?? 0);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const url = `http://${addressText(host, port)}`;
  logger.info(`listening on ${url}`, { admin });
  return {
    url,
    port,
    config,
    close: async () => {
      await app.close();
      logger.info('stopped');
    },
  };
}

async function resolveConfig(config: ServerConfigInput | string | undefined): Promise<ResolvedServerConfig> {
  if (typeof config === 'string') return loadServerConfig(config);
  return resolveServerConfig(config ?? demoServerConfig());
}
