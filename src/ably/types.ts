import type { CapabilityInput } from './capability';

/**
 * The Ably token types, named as in the official SDK (TK, TD, TE in Ably's client spec).
 */

/**
 * Parameters of a token to be issued. Every field is optional; the server fills in defaults.
 * @see Ably client spec TK1–TK6
 */
export interface TokenParams {
  /** Requested lifetime in ms. Server default 60 minutes, maximum 24 hours. */
  ttl?: number;
  /** Requested capability, as an object or JSON text; canonicalised before signing. */
  capability?: CapabilityInput;
  /** The clientId the token is bound to; `*` allows any clientId per operation. */
  clientId?: string;
  /** ms since the epoch; taken from the clock (or `GET /time` with `queryTime`) when absent. Never saved. */
  timestamp?: number;
  /** Single-use random string of at least 16 characters; generated when absent. */
  nonce?: string;
}

/**
 * A signed request for a token, created with the key and exchanged by anyone, without auth, at
 * `POST /keys/{keyName}/requestToken`.
 * @see Ably client spec TE1–TE6
 */
export interface TokenRequest {
  /** The public part of the key (`appId.keyId`). */
  keyName: string;
  /** Requested lifetime in ms. */
  ttl?: number;
  /** Canonical capability JSON text. */
  capability?: string;
  /** The clientId the token will be bound to. */
  clientId?: string;
  /** ms since the epoch when the request was signed. */
  timestamp: number;
  /** Single-use random string of at least 16 characters. */
  nonce: string;
  /** base64 HMAC-SHA256 of the signing text, keyed with the key secret. */
  mac: string;
}

/**
 * An issued token with its metadata. A token given as a bare string has only `token`.
 * @see Ably client spec TD1–TD7
 */
export interface TokenDetails {
  /** The token string (sent base64-encoded in `Authorization: Bearer …`). */
  token: string;
  /** ms since the epoch when the token expires. */
  expires?: number;
  /** ms since the epoch when the token was issued. */
  issued?: number;
  /** Capability JSON text granted to the token. */
  capability?: string;
  /** The clientId the token is bound to, if any. */
  clientId?: string;
}
