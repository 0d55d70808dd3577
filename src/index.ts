/**
 * The `tokensmith` entry: core, Ably, Metquay and OAuth2 auth. Web APIs only; nothing Node-only.
 * @module tokensmith
 */
export * from './core';
export { createApiClient, type ApiClientOptions } from './core/api-client';
export * from './ably';
export * from './metquay';
export * from './oauth2';
