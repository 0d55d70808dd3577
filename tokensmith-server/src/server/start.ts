import Fastify from 'fastify';
import { AblyApps } from './ably/apps';
import { authenticate } from './ably/authenticate';
import { ablyRoutes } from './ably/routes';
import { installTokenFastLane } from './ably/token-fast-lane';
import { appsRoutes } from './admin/apps';
import { FaultInjector, installFaultInjection } from './admin/faults';
import { installRequestLog, RequestLog, requestRecorder } from './admin/request-log';
import { adminRoutes } from './admin/routes';
import { SkewableClock, type ServerClock } from './clock';
import { loadServerConfig, resolveServerConfig, type ResolvedServerConfig, type ServerConfigInput } from './config';
import { demoServerConfig } from './demo-config';
import { installCors } from './lib/cors';
import { clientErrorHandler, frameworkErrorHandler, installErrorHandling } from './lib/error-handling';
import { hostMatcher, installHostCheck, resolveAllowedHosts, type AllowedHosts } from './lib/host-check';
import { invalidOption } from './lib/checks';
import { addressText, listenOn } from './lib/listen';
import { createScrubber, installErrorBodyScrubbing, scrubbingLogger } from './lib/scrub';
import { installQueryCoercion } from './lib/query-coercion';
import { addMsgpackParser } from './lib/wire';
import type { ServerLogger } from './logger';
import { registerMetquay } from './register-metquay';
import { OAuth2Authority, oauth2AdminRoutes, oauth2Routes } from './oauth2';

// Longest path segment the router takes (longer ones are 414).
const MAX_PARAM_LENGTH = 2048;

/** Options of {@link startAuthServer}. */
export interface AuthServerOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string | undefined;
  /** Port; 0 (the default) picks a free one — read it from `url`. */
  port?: number | undefined;
  /**
   * The configuration: an object (partial; see {@link DEFAULT_SERVER_CONFIG}) or the path of a
   * JSON file holding one. Default: the demo config with {@link DEMO_CREDENTIALS}.
   */
  config?: ServerConfigInput | string | undefined;
  /** Base clock; the `/_admin/clock` control skews it. Default `Date.now`. */
  clock?: ServerClock | undefined;
  /**
   * Where log lines go, pino-shaped `(fields, message)`; every string is redacted first. Each
   * request gets an `info` line (method, path, status, durationMs) unless the logger has pino's
   * `isLevelEnabled` and it answers false for `info`: then nothing per request is built. Errors
   * go at `error`. The server logs no lifecycle lines: the caller has `url` and awaits `close()`.
   * Default: nowhere. See {@link streamLogger}.
   */
  logger?: ServerLogger | undefined;
  /** Mounts the test controls under `/_admin`. Default false. */
  admin?: boolean | undefined;
  /** Host names answered besides the server's own, added to the config's `allowedHosts`. */
  allowedHosts?: readonly string[] | undefined;
  /**
   * Answers plain `requestToken` calls (a JSON or msgpack body, no query, no `Origin`) before Fastify's
   * request machinery, for about a quarter less CPU per token; everything else, refusals
   * included, goes through Fastify's route as before (so do all while a test-control fault is
   * queued). The answers, stats and log lines are the same either way. Default true.
   */
  tokenFastLane?: boolean | undefined;
}

/** A running local auth server. */
export interface AuthServer {
  /**
   * Base URL, e.g. `http://127.0.0.1:54321`; the Metquay API is at `${url}/api/v1`, the OAuth2
   * token endpoint at `${url}/oauth2/token` and its discovery document at
   * `${url}/.well-known/openid-configuration` (the issuer is `url`).
   */
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
 * the Metquay API under `/api/v1`, the OAuth2 token endpoint and discovery document, and, with `admin`, the test controls under `/_admin`.
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
  const clock = new SkewableClock(options.clock);
  const oauth2 = new OAuth2Authority(config.oauth2, { clock });
  secrets.push(...oauth2.secrets());
  const admin = options.admin ?? false;
  const apps = new AblyApps(config.ably, clock);
  const ably = apps.main;
  // One list object per set of apps, so the scrubber works out the secrets' encodings only when it changes.
  let combined: readonly string[] = secrets;
  let combinedVersion = 0;
  const allSecrets = (): readonly string[] => {
    if (apps.version !== combinedVersion) {
      combined = [...secrets, ...apps.secrets()];
      combinedVersion = apps.version;
    }
    return combined;
  };
  const scrub = createScrubber(allSecrets);
  const logger = scrubbingLogger(options.logger, scrub);
  const requestLines = options.logger !== undefined && (options.logger.isLevelEnabled?.('info') ?? true);
  const requestTimeoutMs = config.limits.requestTimeoutMs;
  const faults = new FaultInjector();
  const requestLog = new RequestLog(config.limits.requestLogSize);

  const app = Fastify({
    logger: false,
    bodyLimit: config.limits.bodyLimitBytes,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    forceCloseConnections: true,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    // Node checks for stalled requests every connectionsCheckingInterval (30 s by default), so a
    // short timeout needs a short interval to be enforced on time.
    requestTimeout: requestTimeoutMs,
    http: {
      requireHostHeader: false,
      headersTimeout: requestTimeoutMs,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(Math.max(Math.floor(requestTimeoutMs / 10), 25), 5_000),
    },
    // Strict bodies; query strings are coerced by installQueryCoercion. Nothing is stripped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  const host = options.host ?? '127.0.0.1';
  // First hook: a request for another host name is refused before anything else, a preflight is
  // answered before fault injection or routing.
  const isOwnHost = hostMatcher(host, allowedHosts(config.allowedHosts, options.allowedHosts));
  installHostCheck(app, isOwnHost);
  installCors(app, config.cors);
  installQueryCoercion(app);
  app.removeContentTypeParser('text/plain');
  addMsgpackParser(app);
  installErrorHandling(app, logger, scrub, (request) => authenticate(request, apps.forRequest(request)));
  installErrorBodyScrubbing(app, scrub);
  // Faults are queued and the request log is read only through the test controls; without them
  // (and without request lines) neither hook would do anything anyone sees.
  if (admin) installFaultInjection(app, faults);
  // The recorder scrubs the one field a client can fill (the path) itself, so its lines go to the
  // logger as given rather than through scrubbingLogger, which would scrub them again.
  const recordRequest = admin || requestLines ? requestRecorder({ log: admin ? requestLog : undefined, logger: requestLines ? options.logger : undefined, clock, scrub }) : undefined;
  if (recordRequest) installRequestLog(app, recordRequest);

  if (options.tokenFastLane !== false) {
    let closing = false;
    app.addHook('preClose', (done) => {
      closing = true;
      done();
    });
    installTokenFastLane(app.server, {
      apps,
      isOwnHost,
      bodyLimit: config.limits.bodyLimitBytes,
      maxParamLength: MAX_PARAM_LENGTH,
      // A closing server answers 503, and a queued fault must meet its request: both are Fastify's.
      frameworkOnly: () => closing || faults.size > 0,
      ...(recordRequest ? { answered: recordRequest } : {}),
    });
  }
  await app.register(ablyRoutes, { apps });
  const metquay = await registerMetquay(app, { config: config.metquay, clock, logger, admin });
  await app.register(oauth2Routes, { authority: oauth2 });
  if (admin) {
    const resetOthers = (): void => {
      metquay.reset();
      oauth2.reset();
    };
    await app.register(adminRoutes, { prefix: '/_admin', ably, apps, clock, faults, requestLog, resetOthers });
    await app.register(oauth2AdminRoutes, { prefix: '/_admin/oauth2', authority: oauth2 });
    await app.register(appsRoutes, { apps });
  }

  await listenOn(app, host, options.port ?? 0);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const url = `http://${addressText(host, port)}`;
  oauth2.setIssuer(url);
  return { url, port, config, close: () => app.close() };
}

function allowedHosts(configured: AllowedHosts, extra: readonly string[] | undefined): AllowedHosts {
  if (configured === true || extra === undefined || extra.length === 0) return configured;
  try {
    return [...configured, ...(resolveAllowedHosts([...extra]) as readonly string[])];
  } catch (error) {
    throw invalidOption(`${(error as Error).message.replace(/^allowedHosts/, 'options.allowedHosts')}`, error);
  }
}

async function resolveConfig(config: ServerConfigInput | string | undefined): Promise<ResolvedServerConfig> {
  if (typeof config === 'string') return loadServerConfig(config);
  return resolveServerConfig(config ?? demoServerConfig());
}
