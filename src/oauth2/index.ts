// OAuth2 and OpenID Connect providers for the spec-auth engine. Re-exports only.
export { OAuth2ClientCredentials, type OAuth2ClientCredentialsOptions, type OAuth2TokenManagerOptions } from './client-credentials';
export { OAuth2RefreshToken, type OAuth2RefreshTokenOptions } from './refresh-token';
export type { OAuth2ClientOptions } from './options';
export type { OAuth2ClientAuthMethod, OAuth2Token } from './types';
export { MutualTlsCredential, type MutualTlsOptions } from './mutual-tls';
