/** The spec-auth engine: any OpenAPI security scheme, per operation. Re-exports only. */
export { createSpecAuth, type Complete, type CredentialFor, type NoOtherNames, type SchemeKindOf, type SpecAuth, type SpecAuthOptions, type SpecCredentials } from './create';
export type { MissingCredentials } from './complete';
export { ApiKeyCredential, type ApiKeySource } from './api-key';
export { BasicCredential, type BasicCredentials } from './basic';
export { BearerCredential, type BearerSource } from './bearer';
export { createSchemeMiddleware, type SchemeMiddlewareOptions } from './middleware';
export { schemeKind, unmetRequirement, unsupportedReason, requirementsOf, type UnmetRequirement } from './requirements';
export { isLoopbackHost, placeApiKey, refuseInClear, setCookie } from './placement';
export type {
  OAuthFlowObject,
  OperationRequirements,
  AnySchemeProvider,
  SchemeKind,
  SchemeKinds,
  SchemeProvider,
  SchemeUse,
  SecurityRequirement,
  SecuritySchemeMap,
  SecuritySchemeObject,
  SpecSecurityMap,
} from './types';
