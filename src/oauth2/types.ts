import type { TokenLike } from '../core/store';

/** How the client authenticates at the token endpoint (RFC 6749 §2.3.1). */
export type OAuth2ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** An access token as the OAuth2 providers cache it. Holds secrets: never log it. */
export interface OAuth2Token extends TokenLike {
  /** The access token. */
  token: string;
  /** When it expires (ms since the epoch, clock time), from `expires_in`; absent when the server gave none. */
  expiresAt?: number;
  /** The scopes granted, when the server said. */
  scope?: string;
  /** A refresh token the answer carried (the refresh-token grant's rotation). */
  refreshToken?: string;
}
