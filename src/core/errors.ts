import { base64FromUtf8 } from './base64';

/**
 * Typed errors. Every error tokensmith throws is a {@link TokensmithError} with a stable numeric
 * `code` (Ably's error-code space, shared by both providers) and an HTTP-style `statusCode`.
 *
 * Messages say what to fix and never contain a secret: build them from names, not values, and
 * pass anything user-supplied through {@link redact} first.
 */

/**
 * The codes of {@link ERROR_CODES} whose status is not their first three digits. The table's
 * statuses are derived from this rule, so a code and its status cannot disagree.
 */
const OFF_PATTERN_STATUS: Readonly<Record<number, number>> = { 40171: 403, 50002: 502, 50003: 504, 80000: 0 };

/** Each code's meaning; its status is {@link statusForCode}'s. */
const MEANINGS = {
  40000: 'bad request',
  40001: 'invalid request body',
  40003: 'invalid parameter value',
  40009: 'message too large',
  40012: 'invalid clientId',
  40099: 'publish refused on request (the sandbox\'s _forceNack test hook)',
  40100: 'unauthorized',
  40101: 'invalid credentials',
  40102: 'incompatible credentials',
  40103: 'basic auth refused over an insecure connection',
  40104: 'timestamp not current',
  40105: 'nonce value replayed',
  40106: 'unable to obtain credentials from given parameters',
  40131: 'key revoked',
  40133: 'key disabled',
  40140: 'token error',
  40141: 'token revoked',
  40142: 'token expired',
  40143: 'token unrecognised',
  40144: 'invalid JWT format',
  40160: 'operation not permitted with provided capability',
  40162: 'operation requires Basic authentication',
  40164: 'token revocation not enabled for this key',
  40170: 'error from client token callback or authUrl',
  40171: 'no means provided to renew auth token',
  40300: 'forbidden',
  40400: 'not found',
  40800: 'request timeout',
  41300: 'request body too large',
  41400: 'request URI too long',
  41500: 'unsupported media type',
  42910: 'rate limit exceeded',
  43100: 'request header fields too large',
  50000: 'internal error',
  50002: 'unexpected response from the auth server',
  50003: 'timeout',
  // No HTTP answer at all, so no HTTP status: 0, as fetch's own network-error Response has.
  80000: 'network error',
} as const;

/** Every code tokensmith uses, with the HTTP status it maps to and a short meaning. */
export const ERROR_CODES = /* @__PURE__ */ (() =>
  Object.fromEntries(Object.entries(MEANINGS).map(([code, meaning]) => [code, { statusCode: statusForCode(Number(code)), meaning }])))() as {
  readonly [C in keyof typeof MEANINGS]: { readonly statusCode: number; readonly meaning: (typeof MEANINGS)[C] };
};

/** A code from {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** What the other end answered, kept beside tokensmith's own code when the two differ. */
export interface UpstreamDetail {
  /** The HTTP status it answered. */
  readonly status: number;
  /** The error code in its answer, when it sent one. */
  readonly code?: number;
  /** The OAuth2 error code in its answer (RFC 6749 §5.2, e.g. `invalid_client`), when it sent one. */
  readonly error?: string;
}

/** Options accepted by every {@link TokensmithError} constructor. */
export interface TokensmithErrorOptions {
  /** Overrides the status from {@link ERROR_CODES}, e.g. to carry the status a server sent. */
  statusCode?: number | undefined;
  /** The underlying error. Its message should already be free of secrets. */
  cause?: unknown;
  /** A link to more help, as Ably's error envelope carries. */
  href?: string | undefined;
  /** What the endpoint answered, when the error's code is not the endpoint's own (e.g. authUrl → 40170). */
  upstream?: UpstreamDetail | undefined;
}

/** Options of the errors whose class fixes a default code that a provider's own code may replace. */
export interface CodedErrorOptions extends TokensmithErrorOptions {
  /** The provider's code for the condition, when it sent a more precise one. */
  code?: number | undefined;
}

/**
 * Base class of every error tokensmith throws. Subclasses name the condition, the same across
 * providers; the provider's own code and status stay in `code`, `statusCode` and `upstream`.
 *
 * @example
 * ```ts
 * try { await auth.requestToken(); }
 * catch (err) { if (err instanceof TokensmithError && err.code === 40101) rotateKey(); }
 * ```
 */
export class TokensmithError extends Error {
  /** Stable numeric code; branch on this, not on the message. */
  declare readonly code: number;
  /** HTTP status that goes with the code. */
  declare readonly statusCode: number;
  /** A link to more help, when the server sent one. */
  declare readonly href: string | undefined;
  /** What the endpoint answered, when the code is tokensmith's own rather than the endpoint's. */
  declare readonly upstream: UpstreamDetail | undefined;

  constructor(code: number, message: string, options: TokensmithErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.statusCode = options.statusCode ?? statusForCode(code);
    this.href = options.href;
    this.upstream = options.upstream;
  }

  /** The shape Ably puts in an error body: `{ message, code, statusCode, href? }`. */
  toJSON(): { message: string; code: number; statusCode: number; href?: string } {
    return {
      message: this.message,
      code: this.code,
      statusCode: this.statusCode,
      ...(this.href === undefined ? {} : { href: this.href }),
    };
  }
}

/**
 * Credentials were refused or are malformed: 40101 by default, or the provider's own code
 * (40102 clientId mismatch, 40104 stale timestamp, 40131 revoked key, 40400 unknown key). Final.
 */
export class InvalidCredentialsError extends TokensmithError {
  constructor(message: string, options: CodedErrorOptions = {}) {
    super(options.code ?? 40101, message, options);
  }
}

/**
 * The configuration cannot work as given: nothing to authenticate with (40106), no means to
 * renew (40171), Basic auth over plain http (40103), or (server and store options) a bad field
 * (40003). The message names the option, never its value.
 */
export class ConfigurationError extends TokensmithError {}

/**
 * A value passed in (an option or a method argument) is invalid: 40003, or 40012 for a clientId;
 * 40000/40001 when a server refused a request as malformed. The message names the value, never
 * what it held.
 */
export class InvalidArgumentError extends ConfigurationError {}

/** The token was refused or has expired (40140–40149). */
export class TokenError extends TokensmithError {}

/**
 * A token was rejected and the request was not retried, because its body is a stream that
 * cannot be sent twice. The token has been renewed: send the request again. The rejected
 * `response` is kept out of enumeration.
 */
export class RequestNotReplayableError extends TokenError {
  declare readonly response: Response | undefined;
  constructor(message: string, response?: Response, options: TokensmithErrorOptions = {}) {
    super(40140, message, options);
    Object.defineProperty(this, 'response', { value: response, enumerable: false });
  }
}

/**
 * The token source failed or answered something unusable: an authCallback that threw or hung, an
 * authUrl answering non-2xx (40170), an answer breaking the contract (50002).
 */
export class AuthProviderError extends TokensmithError {}

/** A response body was larger than tokensmith reads; `limitBytes` is the limit it hit. */
export class ResponseTooLargeError extends AuthProviderError {
  /** The limit the body passed, in bytes. */
  declare readonly limitBytes: number;
  constructor(code: number, message: string, limitBytes: number, options: TokensmithErrorOptions = {}) {
    super(code, message, options);
    this.limitBytes = limitBytes;
  }
}

/** The server answered 429; `retryAfterMs` is what it asked for, when it said. */
export class RateLimitError extends TokensmithError {
  declare readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs: number | undefined, options: TokensmithErrorOptions = {}) {
    super(42910, message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The server answered 5xx (50000, the provider's own 5xxxx code, or 40170 for an authUrl).
 * Transient; `retryAfterMs` is the wait a 503 asked for, when it said.
 */
export class ServerError extends TokensmithError {
  declare readonly retryAfterMs: number | undefined;
  constructor(code: number, message: string, options: TokensmithErrorOptions & { retryAfterMs?: number | undefined } = {}) {
    super(code, message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The network failed (80000): the message says what failed and where (`ECONNREFUSED
 * 127.0.0.1:9`), and `cause` holds the underlying error. `statusCode` is 0: nothing answered.
 * Transient: worth retrying. Token fetches and API calls (`createApiClient` and every client built
 * on it) throw it alike, on every auth path.
 */
export class TransportError extends TokensmithError {}

/** A request or token fetch took longer than its timeout (50003). Transient. */
export class TimeoutError extends TransportError {
  constructor(message: string, options: TokensmithErrorOptions = {}) {
    super(50003, message, options);
  }
}

/** HTTP status for a code: as {@link ERROR_CODES} says (0 for 80000, where nothing answered), else the first three digits of the code. */
export function statusForCode(code: number): number {
  const known = OFF_PATTERN_STATUS[code];
  if (known !== undefined) return known;
  const leading = Math.floor(code / 100);
  return leading >= 100 && leading <= 599 ? leading : 500;
}

/** True for the codes on which a client renews its token and retries (Ably RSA4b). */
export function isTokenErrorCode(code: unknown): boolean {
  return typeof code === 'number' && code >= 40140 && code < 40150;
}

const REDACTED = '[redacted]';
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret (and of its base64 form, as it appears in auth
 * headers) with `[redacted]`. The one helper every error and log path uses.
 *
 * @example
 * ```ts
 * redact(`bad body: ${text}`, [keySecret, token]);
 * ```
 */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  return redactor(secrets)(text);
}

/**
 * {@link redact} bound to a fixed list of secrets, their forms (base64, URL-encoded) worked out
 * once: for a server scrubbing every request's log line with the same few secrets.
 *
 * @example
 * ```ts
 * const scrub = redactor([keySecret]);
 * logger.info(scrub(`GET ${path}`));
 * ```
 */
export function redactor(secrets: Iterable<string | undefined>): (text: string) => string {
  const allForms: string[] = [];
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH) allForms.push(...secretForms(secret));
  }
  // A text that holds none of the forms is returned as it is; most texts hold none.
  return (text) => {
    let result = text;
    let found = false;
    for (const form of allForms) {
      if (!result.includes(form)) continue;
      found = true;
      result = result.split(form).join(REDACTED);
    }
    if (!found) return text;
    // A marker next to leftover text can spell a secret that shares characters with it
    // (`ted]ted]` in `[redacted]ted]`); then nothing of the text is safe to keep.
    if (!allForms.some((form) => result.includes(form))) return result;
    return allForms.some((form) => REDACTED.includes(form)) ? '' : REDACTED;
  };
}

function secretForms(secret: string): string[] {
  const base64 = base64FromUtf8(secret);
  const forms = [secret, base64, base64.replace(/=+$/, '')];
  try {
    forms.push(encodeURIComponent(secret));
  } catch {
    // A lone surrogate has no URL-encoded form; the other forms still apply.
  }
  return forms.filter((form, index) => form.length >= MIN_SECRET_LENGTH && forms.indexOf(form) === index);
}
