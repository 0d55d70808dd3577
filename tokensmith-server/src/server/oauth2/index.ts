// The OAuth2 authorization server: its core (shared with `tokensmith serve --spec`), routes and controls.
export { OAuth2Authority, bearerChallenge } from './authority';
export type { BearerCheck, BearerRejection, OAuth2AuthorityOptions, OAuth2ErrorCode, OAuth2Refusal, OAuth2TokenResponse } from './authority';
export { oauth2Routes, OAUTH2_DISCOVERY_PATH, OAUTH2_TOKEN_PATH } from './routes';
export type { OAuth2RoutesOptions } from './routes';
export { oauth2AdminRoutes } from './admin';
export type { OAuth2AdminRoutesOptions } from './admin';
export { DEFAULT_OAUTH2_SERVER_CONFIG, resolveOAuth2ServerConfig } from './config';
export type { OAuth2ClientConfig, OAuth2ServerConfig, ResolvedOAuth2Client, ResolvedOAuth2ServerConfig } from './config';
