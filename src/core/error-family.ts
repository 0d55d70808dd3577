import {
  AuthProviderError,
  ERROR_CODES,
  InvalidArgumentError,
  InvalidCredentialsError,
  RateLimitError,
  ServerError,
  TimeoutError,
  TokenError,
  TokensmithError,
  TransportError,
  type ErrorCode,
  type TokensmithErrorOptions,
} from './errors';

/**
 * The code table read the other way round, for code that starts from an HTTP status or a code
 * (the local server, test controls): which code stands for a status, and which error class a code
 * belongs to. Kept out of errors.ts so a client bundle that never asks does not carry the table.
 */

/**
 * The table's code for an HTTP status: the first code in {@link ERROR_CODES} with that status
 * (its general `xxx00` code first: 401 → 40100, 403 → 40300; else the first precise one: 429 →
 * 42910, 502 → 50002), else the family's general code (40000 for a 4xx, 50000 for a 5xx). Never `status * 100`, which names codes the table does not have.
 *
 * @example
 * ```ts
 * new TokensmithError(codeForStatus(503), 'unavailable', { statusCode: 503 }); // code 50000
 * ```
 */
export function codeForStatus(status: number): ErrorCode {
  const found = STATUS_CODES.get(status);
  if (found !== undefined) return found;
  return status >= 400 && status < 500 ? 40000 : 50000;
}

/**
 * Builds the error for `code` in its family's class, as the client package would throw it:
 * 40140–40149 {@link TokenError}; refused credentials (40101, 40102, 40104, 40131, 40133)
 * {@link InvalidCredentialsError}; bad input (40000, 40001, 40003, 40012) {@link InvalidArgumentError};
 * 42910 {@link RateLimitError}; 50002 {@link AuthProviderError}; 50003 {@link TimeoutError};
 * 80000 {@link TransportError}; any other 5xxxx {@link ServerError}; else {@link TokensmithError}.
 */
export function errorForCode(code: number, message: string, options: TokensmithErrorOptions = {}): TokensmithError {
  if (code >= 40140 && code < 40150) return new TokenError(code, message, options);
  if (CREDENTIAL_CODES.has(code)) return new InvalidCredentialsError(message, { ...options, code });
  if (ARGUMENT_CODES.has(code)) return new InvalidArgumentError(code, message, options);
  if (code === 42910) return new RateLimitError(message, undefined, options);
  if (code === 50002) return new AuthProviderError(code, message, options);
  if (code === 50003) return new TimeoutError(message, options);
  if (code === 80000) return new TransportError(code, message, options);
  if (code >= 50000 && code < 60000) return new ServerError(code, message, options);
  return new TokensmithError(code, message, options);
}

const CREDENTIAL_CODES: ReadonlySet<number> = /* @__PURE__ */ new Set([40101, 40102, 40104, 40131, 40133]);
const ARGUMENT_CODES: ReadonlySet<number> = /* @__PURE__ */ new Set([40000, 40001, 40003, 40012]);

// A status's general code (`status` followed by 00) wins over the table's more precise ones: 403 is
// 40300 "forbidden", not 40171.
const STATUS_CODES: ReadonlyMap<number, ErrorCode> = /* @__PURE__ */ (() => {
  const byStatus = new Map<number, ErrorCode>();
  const codes = Object.keys(ERROR_CODES).map(Number) as ErrorCode[];
  for (const code of codes) {
    const status: number = ERROR_CODES[code].statusCode;
    const general = code % 100 === 0 && Math.trunc(code / 100) === status;
    if (general || (status >= 400 && !byStatus.has(status))) byStatus.set(status, code);
  }
  return byStatus;
})();
