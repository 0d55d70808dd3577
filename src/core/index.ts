/**
 * tokensmith core: the token lifecycle and openapi-fetch middleware both providers build on.
 * Web APIs only; nothing here imports Node.
 */
export {
  ERROR_CODES,
  AuthProviderError,
  ConfigurationError,
  InvalidArgumentError,
  InvalidCredentialsError,
  RateLimitError,
  RequestNotReplayableError,
  ResponseTooLargeError,
  ServerError,
  TimeoutError,
  TokenError,
  TokensmithError,
  TransportError,
  isTokenErrorCode,
  redact,
  redactor,
  statusForCode,
  type ErrorCode,
  type CodedErrorOptions,
  type TokensmithErrorOptions,
  type UpstreamDetail,
} from './errors';
export { codeForStatus, errorForCode } from './error-family';
export { refuseUnset, withoutUndefined, type PartialOrUndefined } from './options';
export { MAX_TOKEN_RESPONSE_BYTES } from './http';
export { ReplayableRequest } from './replay';
export { SystemClock, type Clock } from './clock';
export { createRedactingLogger, silentLogger, type LogLevel, type Logger } from './logger';
export { DEFAULT_RETRY_OPTIONS, isTransient, type RetryOptions } from './retry';
// MemoryTokenStore, sharedStore and credentialIdentity are the `tokensmith/store` entry.
export type { TokenLike, TokenState, TokenStore } from './store';
export type { SharedTokenStore } from './store-key';
export {
  DEFAULT_TOKEN_MANAGER_OPTIONS,
  TokenManager,
  type FetchContext,
  type LockOptions,
  type ProviderTokenOptions,
  type TokenManagerOptions,
} from './token-manager';
export {
  ANY_SCHEME,
  createAuthMiddleware,
  type AuthMiddlewareOptions,
  type AuthProvider,
  type AuthScheme,
  type OperationAuth,
  type OperationSecurity,
  type SecuritySchemes,
} from './middleware';
export type { SpecSecurity } from './security';
export type { TokenEvent, TokenEventListener, TokenEventType } from './telemetry';
export { createBearerProvider, type BearerProviderOptions } from './bearer-provider';
export {
  ApiKeyCredential,
  BasicCredential,
  BearerCredential,
  createSpecAuth,
  schemeKind,
  unmetRequirement,
  unsupportedReason,
  type ApiKeySource,
  type BasicCredentials,
  type BearerSource,
  type Complete,
  type CredentialFor,
  type MissingCredentials,
  type NoOtherNames,
  type OAuthFlowObject,
  type OperationRequirements,
  type AnySchemeProvider,
  type SchemeKind,
  type SchemeKindOf,
  type SchemeKinds,
  type SchemeProvider,
  type SchemeUse,
  type SecurityRequirement,
  type SecuritySchemeMap,
  type SecuritySchemeObject,
  type SpecAuth,
  type SpecAuthOptions,
  type SpecCredentials,
  type SpecSecurityMap,
  type UnmetRequirement,
} from './spec-auth';
