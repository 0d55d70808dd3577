/**
 * The `tokensmith-server` package: the local auth server, its configuration and the test controls.
 * @module tokensmith-server
 */
export { startAuthServer, type AuthServer, type AuthServerOptions } from './start';
export {
  DEFAULT_SERVER_CONFIG,
  loadServerConfig,
  resolveServerConfig,
  type AblyKeyConfig,
  type AblyServerConfig,
  type ResolvedAblyKey,
  type ResolvedServerConfig,
  type ServerConfig,
  type ServerConfigInput,
  type ServerLimitsConfig,
} from './config';
export { DEMO_CREDENTIALS, demoServerConfig } from './demo-config';
export { DEFAULT_CORS_CONFIG, type CorsConfig } from './lib/cors';
export { SkewableClock, type ServerClock } from './clock';
export {
  SERVER_LOG_LEVELS,
  lineLogger,
  streamLogger,
  type ServerLogFormat,
  type ServerLogger,
  type ServerLogLevel,
  type StreamLogger,
  type StreamLoggerOptions,
} from './logger';
export { DEFAULT_ALLOWED_HOSTS, type AllowedHosts } from './lib/host-check';
export { adminClient, type AdminClient, type AdminClientOptions } from './admin/client';
export type { ClockState, FaultSpec, PendingFault, RequestLogEntry, ServerStats } from './admin/types';
export type { MetquayClientCredentials, MetquayServerConfig, ResolvedMetquayServerConfig } from './metquay';
export { DEFAULT_METQUAY_SERVER_CONFIG } from './metquay';
export type { CapabilityMap } from './ably/capability-rules';
export {
  OAuth2Authority,
  bearerChallenge,
  oauth2Routes,
  oauth2AdminRoutes,
  DEFAULT_OAUTH2_SERVER_CONFIG,
  OAUTH2_DISCOVERY_PATH,
  OAUTH2_TOKEN_PATH,
  type BearerCheck,
  type BearerRejection,
  type OAuth2AuthorityOptions,
  type OAuth2ClientConfig,
  type OAuth2ServerConfig,
  type OAuth2TokenResponse,
  type ResolvedOAuth2ServerConfig,
} from './oauth2';
export { startSpecServer, type SpecServer, type SpecServerOptions } from './spec/start';
export {
  DEFAULT_SPEC_SERVER_CONFIG,
  type ConfiguredApiKey,
  type ConfiguredBasicUser,
  type ConfiguredToken,
  type SpecServerConfig,
  type SpecServerConfigInput,
  type SpecServerLimits,
} from './spec/config';
export type { TokenAuthority, TokenVerdict } from './spec/authority';
