import type { SharedTokenStore } from '../core/store-key';
import type { ProviderTokenOptions } from '../core/token-manager-options';
import { defaultServerUrl } from '../../generated/ably.security';
import type { TokenDetails, TokenParams, TokenRequest } from './types';

/**
 * Options of {@link AblyAuth}, named as the official SDK's ClientOptions / AuthOptions.
 */

/**
 * Called whenever a token is needed, with the token params in force (capability as canonical
 * JSON text, the library clientId included). Answers a token string (e.g. an Ably JWT), a
 * TokenDetails, or a TokenRequest signed by your server (which is then exchanged). A thrown error
 * fails the request with code 40170 (or the error's own code when it is a TokensmithError).
 * @see Ably client spec RSA8d
 */
export type AuthCallback = (tokenParams: TokenParams) => Promise<string | TokenDetails | TokenRequest> | string | TokenDetails | TokenRequest;

/**
 * How to authenticate. The string options accept `undefined` so that a value read from the
 * environment can be passed as is (`key: process.env.ABLY_KEY`): when nothing else authenticates,
 * the constructor throws 40106 naming each option that was given as `undefined`.
 *
 * Also the second argument of `createTokenRequest`, `requestToken` and
 * `authorize`, where it replaces (never merges with) the saved options — except the key, which
 * stays the client's [RSA10i].
 */
export interface AuthOptions {
  /** API key `appId.keyId:keySecret`. Alone it means Basic auth; with `useTokenAuth` tokens signed locally. */
  key?: string | undefined;
  /** A token to use as is: a token string or TokenDetails. Without key, authCallback or authUrl it cannot be renewed (40171). */
  token?: string | TokenDetails | undefined;
  /** A TokenDetails to use as is. */
  tokenDetails?: TokenDetails | undefined;
  /** Obtains tokens from your code. Wins over authUrl and key. */
  authCallback?: AuthCallback | undefined;
  /** Obtains tokens from your server. Wins over key. */
  authUrl?: string | undefined;
  /** `GET` (default) or `POST` for authUrl. */
  authMethod?: 'GET' | 'POST' | 'get' | 'post' | undefined;
  /** Headers sent to authUrl. */
  authHeaders?: Record<string, string> | undefined;
  /** Parameters sent to authUrl (query for GET, form body for POST), over the URL's own query. */
  authParams?: Record<string, string> | undefined;
  /** Use tokens even with only a key (signed locally); `false` forces Basic auth with a key. */
  useTokenAuth?: boolean | undefined;
  /** Take TokenRequest timestamps from `GET /time` (once; the offset is kept) instead of the local clock [RSA10k]. */
  queryTime?: boolean | undefined;
}

/** Options of {@link AblyAuth} and `createAblyClient`. */
export interface AblyAuthOptions extends AuthOptions, ProviderTokenOptions {
  /** This client's identity; tokens are requested for it. `*` is not allowed (40012) [RSA7]. */
  clientId?: string | undefined;
  /** Token params used when a call passes none [RSA5c, RSA6c]. */
  defaultTokenParams?: TokenParams | undefined;
  /** REST endpoint; default (also when `undefined`) the spec's server, `https://rest.ably.io`. */
  baseUrl?: string | undefined;
  /** The `fetch` used for every request (Ably, authUrl); the global one by default. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Shares tokens with other clients or processes (e.g. Redis); needs a key or authUrl to identify them. */
  store?: SharedTokenStore | undefined;
  /**
   * How long an authCallback or authUrl may take before failing with 40170; default 10 s. One
   * token attempt (with a key: `/time` and `requestToken`; with an authCallback or authUrl: it and
   * the exchange of a TokenRequest it gives) is bounded by `authTimeoutMs` + 10 s, then retried.
   */
  authTimeoutMs?: number | undefined;
}

/** Defaults merged under {@link AblyAuthOptions}. */
export const DEFAULT_ABLY_AUTH_OPTIONS = /* @__PURE__ */ Object.freeze({
  baseUrl: defaultServerUrl,
  authTimeoutMs: 10_000,
});
