/**
 * Ably token auth — the default entry, bound to the Web Crypto signer (no Node-only imports).
 */
import { AblyAuth } from './auth';
import { bindCreateAblyClient, type AblyClient, type AblyClientOptions } from './client';

export { AblyAuth };
export { createAblyApi, type AblyApi } from './api';
export type { AblyClient, AblyClientOptions } from './client';
export { DEFAULT_ABLY_AUTH_OPTIONS, type AblyAuthOptions, type AuthCallback, type AuthOptions } from './options';
export type { TokenDetails, TokenParams, TokenRequest } from './types';
export { canonicalCapability, parseCapability, type Capability, type CapabilityInput } from './capability';
export { tokenRequestSigningText } from './token-request-signing';
export { AblyKey } from './key';
export { ABLY_PROTOCOL_VERSION } from './http';
export { revokeTokens } from './revoke-tokens';
export { ablySecurity } from './spec-security';

/**
 * A typed openapi-fetch client of the Ably REST paths (`generated/ably.ts`) with auth attached
 * and `X-Ably-Version` sent; the auth is at `client.auth`.
 *
 * @example
 * ```ts
 * const ably = createAblyClient({ key: process.env.ABLY_KEY, useTokenAuth: true });
 * const { data, error } = await ably.POST('/channels/{channelId}/messages', {
 *   params: { path: { channelId: 'chat:lobby' } },
 *   body: { name: 'greeting', data: 'hello' },
 * });
 * ```
 */
export const createAblyClient: (options: AblyClientOptions) => AblyClient = /* @__PURE__ */ bindCreateAblyClient(AblyAuth);
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
