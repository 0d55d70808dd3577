import Fastify from 'fastify';
import { GenerateError } from '../../generate/errors';
import { createRedactingLogger } from 'tokensmith';
import { FaultInjector, installFaultInjection } from '../admin/faults';
import { SkewableClock, type ServerClock } from '../clock';
import { plainClientErrorHandler } from '../lib/error-handling';
import { addressText, listenOn } from '../lib/listen';
import { createScrubber } from '../lib/scrub';
import type { ServerLogger } from '../logger';
import { specAdminRoutes } from './admin';
import { OAuth2Authority, oauth2AdminRoutes, oauth2Routes, OAUTH2_TOKEN_PATH } from '../oauth2';
import { ConfiguredTokens, oauth2TokenAuthority, type TokenAuthority } from './authority';
import { configSecrets, loadSpecServerConfig, resolveSpecServerConfig, type SpecServerConfig, type SpecServerConfigInput } from './config';
import { answerSpecHostCheck, installSpecErrorHandling, specFrameworkErrorHandler } from './errors';
import { hostMatcher, installHostCheck } from '../lib/host-check';
import { loadServedSpecs, type ServedSpec } from './operations';
import { ResourceStore } from './resource-store';
import { firstLine } from '../operations/serve';
import { registerSpecRoutes, type SpecRouteConfig } from './routes';
import { installSpecValidators } from './validator';

/** Options of {@link startSpecServer}. */
export interface SpecServerOptions {
  /** The OpenAPI 3.0/3.1 files to serve (YAML or JSON), each under the path of its first server URL. */
  specs: readonly string[];
  /** Credentials and limits: an object or the path of a JSON file. Default: no credentials. */
  config?: SpecServerConfigInput | string | undefined;
  /** Keep resources: `POST` creates, `GET` reads and lists, `PUT`/`PATCH` update, `DELETE` removes. Default false. */
  stateful?: boolean | undefined;
  /** Seed of the generated data; the same seed gives the same answers. Default 1. */
  seed?: number | undefined;
  /** More bearer-token authorities (e.g. an OAuth2 token endpoint's issued tokens), asked after the config's tokens. */
  authorities?: readonly TokenAuthority[] | undefined;
  /** Mounts the test controls under `/_admin`. Default false. */
  admin?: boolean | undefined;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string | undefined;
  /** Port; 0 (the default) picks a free one. */
  port?: number | undefined;
  /** Base clock that token expiry is judged by. Default `Date.now`. */
  clock?: ServerClock | undefined;
  /** Where log lines go; every string is redacted first. Default: nowhere. */
  logger?: ServerLogger | undefined;
  /** Host names answered besides loopback names, IP literals and `host` (see docs/server.md, "Host names"); others get 403. */
  allowedHosts?: readonly string[] | undefined;
}

/** A running spec server. */
export interface SpecServer {
  /** Base URL, e.g. `http://127.0.0.1:54321`; each spec is under its server URL's path. */
  url: string;
  port: number;
  /** The specs served, with their operations. */
  specs: readonly ServedSpec[];
  close(): Promise<void>;
}

/**
 * Starts `tokensmith serve --spec`: every operation of every spec, validated against the spec,
 * answered with its examples or seeded generated data, and guarded by the spec's own security.
 *
 * @throws {GenerateError} (40003) with one line naming the spec and the problem when a spec cannot be served.
 * @throws {ConfigurationError} (40003) naming the bad config field, or the address it cannot listen on.
 * @example
 * ```ts
 * const server = await startSpecServer({ specs: ['openapi.yaml'], config: { tokens: [{ token: 't-1', scopes: ['read'] }] } });
 * await fetch(`${server.url}/v1/things`, { headers: { authorization: 'Bearer t-1' } });
 * await server.close();
 * ```
 */
export async function startSpecServer(options: SpecServerOptions): Promise<SpecServer> {
  const config: SpecServerConfig = typeof options.config === 'string' ? await loadSpecServerConfig(options.config) : resolveSpecServerConfig(options.config);
  const specs = await loadServedSpecs(options.specs);
  const clock = new SkewableClock(options.clock);
  const oauth2 = new OAuth2Authority(config.oauth2, { clock });
  const secrets = [...configSecrets(config), ...oauth2.secrets()];
  const scrub = createScrubber(() => secrets);
  const logger = createRedactingLogger(options.logger, () => secrets);
  const authorities: TokenAuthority[] = [new ConfiguredTokens(config.tokens), oauth2TokenAuthority(oauth2), ...(options.authorities ?? [])];
  const store = options.stateful ? new ResourceStore(config.limits.maxStateBytes) : undefined;
  const faults = new FaultInjector();
  const timeoutMs = config.limits.requestTimeoutMs;

  const app = Fastify({
    logger: false,
    bodyLimit: config.limits.bodyLimitBytes,
    routerOptions: { maxParamLength: 2048 },
    exposeHeadRoutes: false,
    forceCloseConnections: true,
    frameworkErrors: specFrameworkErrorHandler,
    clientErrorHandler: plainClientErrorHandler,
    requestTimeout: timeoutMs,
    http: { requireHostHeader: false, headersTimeout: timeoutMs, requestTimeout: timeoutMs, connectionsCheckingInterval: Math.min(Math.max(Math.floor(timeoutMs / 10), 25), 5_000) },
  });
  installSpecValidators(app);
  installSpecErrorHandling(app, logger, scrub);
  const host = options.host ?? '127.0.0.1';
  // Its `{ code, message }` envelope for the Host refusals (OAuth2's at the token endpoint).
  installHostCheck(app, hostMatcher(host, [...(options.allowedHosts ?? [])]), answerSpecHostCheck);
  // Bodies of media types other than JSON and text are kept as bytes; the spec's JSON schemas do not apply to them.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  if (options.admin) {
    installFaultInjection(app, faults, {
      answer: (reply, status, message) => reply.code(status).send({ code: status, message }),
      operationOf: (request) => (request.routeOptions.config as Partial<SpecRouteConfig>).names,
    });
  }
  for (const prefix of tokenEndpointPrefixes(specs)) await app.register(oauth2Routes, { authority: oauth2, ...(prefix === '' ? {} : { prefix }) });
  registerSpecRoutes(app, { specs, seed: options.seed ?? 1, security: { config, authorities, clock }, ...(store ? { store } : {}) });
  if (options.admin) {
    await app.register(specAdminRoutes, { prefix: '/_admin', authorities, clock, faults, ...(store ? { store } : {}) });
    await app.register(oauth2AdminRoutes, { prefix: '/_admin/oauth2', authority: oauth2 });
  }

  // Schemas compile here; one Ajv cannot compile (a bad `pattern`) refuses the spec, naming the route.
  try {
    await app.ready();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw new GenerateError('spec-invalid', `cannot serve the spec: ${firstLine(error)}`, { cause: error });
  }
  await listenOn(app, host, options.port ?? 0);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const url = `http://${addressText(host, port)}`;
  oauth2.setIssuer(url);
  const count = specs.reduce((sum, spec) => sum + spec.operations.length, 0);
  // debug, not info: the caller prints the one listening line.
  logger.debug({ specs: specs.length, operations: count }, `serving ${count} operations on ${url}`);
  return {
    url,
    port,
    specs,
    close: async () => {
      await app.close();
    },
  };
}

/**
 * Where the OAuth2 token endpoint is mounted: at the root (`/oauth2/token`), and under the path of
 * every `clientCredentials` `tokenUrl` of the specs that ends in `/oauth2/token`, resolved against
 * the spec's server URL, so clients generated from the spec find it where the spec says.
 */
function tokenEndpointPrefixes(specs: readonly ServedSpec[]): string[] {
  const prefixes = new Set<string>(['']);
  for (const spec of specs) {
    for (const scheme of Object.values(spec.securitySchemes)) {
      const tokenUrl = scheme.flows?.clientCredentials?.tokenUrl;
      if (typeof tokenUrl !== 'string') continue;
      let path: string;
      try {
        path = new URL(tokenUrl, `http://localhost${spec.basePath}/`).pathname;
      } catch {
        continue;
      }
      if (path.endsWith(OAUTH2_TOKEN_PATH)) prefixes.add(path.slice(0, -OAUTH2_TOKEN_PATH.length));
    }
  }
  return [...prefixes];
}
