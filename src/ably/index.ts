/**
 * Ably token auth — the default entry, bound to the Web Crypto signer (no Node-only imports).
 */
export { AblyAuth } from './auth';
export { DEFAULT_ABLY_AUTH_OPTIONS, type AblyAuthOptions, type AuthCallback, type AuthOptions } from './options';
export type { TokenDetails, TokenParams, TokenRequest } from './types';
export { canonicalCapability, parseCapability, type Capability, type CapabilityInput } from './capability';
export { tokenRequestSigningText } from './token-request-signing';
export { AblyKey } from './key';
export { ABLY_PROTOCOL_VERSION } from './http';
export { revokeTokens } from './revoke-tokens';
export { ablySecurity } from './spec-security';
export type { AblySchemas } from './types';
export type { HmacSha256Key, Signer } from './crypto/signer';
export type { SignedTokenRequestFields } from './token-request-signing';
export type { AuthMethod } from './settings';
export type {
  TokenRevocationFailureResult,
  TokenRevocationOptions,
  TokenRevocationResult,
  TokenRevocationSuccessResult,
  TokenRevocationTargetSpecifier,
} from './revoke-tokens';
/**
 * The generated `paths`/`components`/`operations` of `openapi/ably.yaml`, for your own openapi-fetch
 * client or a handler typed from the spec. Left out of the API reference: every operation and
 * model is in `generated/docs/ably/`.
 * @hidden
 */
export type { paths as AblyPaths, components as AblyComponents, operations as AblyOperations } from '../../generated/ably';
