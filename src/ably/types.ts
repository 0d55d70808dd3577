import type { components } from '../../generated/ably';
import type { PartialOrUndefined } from '../core/options';
import type { CapabilityInput } from './capability';

/**
 * The Ably token types, named as in the official SDK (TK, TD, TE in Ably's client spec), built
 * on the schemas of `openapi/ably.yaml`.
 */
/** The component schemas of `openapi/ably.yaml`, as generated. */
export type AblySchemas = components['schemas'];


/**
 * Parameters of a token to be issued. Every field is optional (`undefined` is the same as
 * absent); the server fills in defaults
 * (60-minute ttl, the key's capability). `capability` may be an object or JSON text; it is
 * canonicalised before signing. `timestamp` is never saved between calls.
 * @see Ably client spec TK1–TK6
 */
export type TokenParams = PartialOrUndefined<Omit<AblySchemas['TokenParams'], 'capability'>> & {
  /** Requested capability, as an object or JSON text. */
  capability?: CapabilityInput | undefined;
};

/**
 * A signed request for a token, created with the key and exchanged by anyone, without auth, at
 * `POST /keys/{keyName}/requestToken`. `capability` is canonical JSON text; `mac` the base64
 * HMAC-SHA256 of the signing text keyed with the key secret.
 * @see Ably client spec TE1–TE6
 */
export type TokenRequest = AblySchemas['SignedTokenRequest'];

/**
 * An issued token with its metadata. A token given as a bare string (option `token`, an
 * authCallback or authUrl answering text) has only `token` (RSA16b).
 * @see Ably client spec TD1–TD7
 */
export type TokenDetails = Pick<AblySchemas['TokenDetails'], 'token'> & Partial<Omit<AblySchemas['TokenDetails'], 'token'>>;

/** An Ably error body's `error` object. */
export type AblyErrorInfo = AblySchemas['ErrorInfo'];
