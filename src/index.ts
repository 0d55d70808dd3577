/**
 * The `tokensmith` entry: core, Ably and Metquay auth, mutual TLS. Web APIs only; nothing Node-only.
 * The OAuth2 credentials are in `tokensmith/oauth2`; the typed openapi-fetch clients (and openapi-fetch)
 * in `tokensmith/client`.
 * @module tokensmith
 */
export * from './core';
export * from './ably';
export * from './metquay';
// mutualTLS; the OAuth2 token credentials are the `tokensmith/oauth2` entry (src/oauth2/index.ts).
export { MutualTlsCredential, type MutualTlsOptions } from './oauth2/mutual-tls';
