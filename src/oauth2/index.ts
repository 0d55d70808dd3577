/**
 * The `tokensmith/oauth2` entry: OAuth2 client credentials and refresh tokens (and OpenID
 * Connect discovery) for the spec-auth engine. Apart from the default entry so an app that only
 * uses `AblyAuth`/`MetquayAuth`, or imports everything from `tokensmith`, does not ship them.
 * `MutualTlsCredential` stays in `tokensmith`.
 * @module tokensmith/oauth2
 */
export { OAuth2ClientCredentials, type OAuth2ClientCredentialsOptions, type OAuth2TokenManagerOptions } from './client-credentials';
export { OAuth2RefreshToken, type OAuth2RefreshTokenOptions } from './refresh-token';
export type { OAuth2ClientOptions } from './options';
export type { OAuth2ClientAuthMethod, OAuth2Token } from './types';
