import { AuthProviderError, InvalidArgumentError, TokensmithError } from '../core/errors';
import { refuseInClear } from '../core/spec-auth/placement';
import { withTimeout } from '../core/timeout';
import type { AblyAuth } from './auth';
import { ablyRequest, type AblyHttp } from './http';
import type { AblyKey } from './key';
import type { AblySchemas } from './types';

/**
 * Token revocation [RSA17]: `POST /keys/{keyName}/revokeTokens` with the key's Basic auth.
 */

/** Which tokens to revoke: `type` is `clientId`, `revocationKey` or `channel` [RSA17b]. */
export interface TokenRevocationTargetSpecifier {
  /** What `value` names: `clientId`, `revocationKey` (a JWT's `x-ably-revocation-key` claim) or `channel`. */
  type: string;
  /** The client id, revocation key or channel name. */
  value: string;
}

/** Options of a revocation [RSA17e, RSA17f]. */
export interface TokenRevocationOptions {
  /** Revoke only tokens issued before this time, ms since the epoch. Default: now (the server's). */
  issuedBefore?: number | undefined;
  /** Postpone enforcement by 30 s so clients can fetch a new token first. Default false. */
  allowReauthMargin?: boolean | undefined;
}

/** A target whose tokens are revoked [TRS2]. */
export type TokenRevocationSuccessResult = AblySchemas['TokenRevocationSuccess'];
/** A target that could not be revoked, with why [TRF2]. */
export type TokenRevocationFailureResult = AblySchemas['TokenRevocationFailure'];
/** Every target's result, and how many succeeded and failed [RSA17c, BAR2]. */
export type TokenRevocationResult = AblySchemas['TokenRevocationBatchResult'];

const MAX_TARGETS = 100;

/** What {@link revokeTokens} needs of a client on Basic auth; nothing while it uses token auth. */
interface RevocationAccess {
  http: AblyHttp;
  key: AblyKey;
  timeoutMs: number;
}

/**
 * Each AblyAuth's way to hand {@link revokeTokens} its key, filled by its constructor. Apart from
 * the class, so a bundle that never revokes does not carry revocation.
 * @internal
 */
export const revocationAccess = /* @__PURE__ */ new WeakMap<AblyAuth, () => RevocationAccess | undefined>();

/**
 * Revokes tokens `auth`'s key issued, by client id, revocation key or channel [RSA17]. Needs Basic
 * auth: a client on token auth is refused with 40162 before anything is sent [RSA17d]. Each target
 * gets its own result; a refused target does not fail the call.
 *
 * Targets are sent as `type:value` [RSA17b]; `issuedBefore` and `allowReauthMargin` only when
 * given [RSA17e, RSA17f]. A plain array answer (what Ably sends to clients without
 * `X-Ably-Version`) is counted here. The answer is read through core's bounded reader (64 KiB;
 * `ResponseTooLargeError` past it), and a network failure is a `TransportError` 80000 naming
 * where, its cause kept.
 *
 * @throws {TokensmithError} 40162 on token auth; `InvalidArgumentError` 40003 naming the bad
 * argument; `ConfigurationError` 40103 for Basic auth over plain http to a host other than
 * loopback; Ably's code when the whole request is refused (e.g. 40164 revocation not enabled).
 * @example
 * ```ts
 * import { AblyAuth, revokeTokens } from 'tokensmith';
 *
 * const auth = new AblyAuth({ key: process.env.ABLY_KEY });
 * const { failureCount, results } = await revokeTokens(auth, [{ type: 'clientId', value: 'alice' }], { allowReauthMargin: true });
 * ```
 * @see Ably client features spec RSA17
 */
export async function revokeTokens(
  auth: AblyAuth,
  targets: readonly TokenRevocationTargetSpecifier[],
  options: TokenRevocationOptions = {},
): Promise<TokenRevocationResult> {
  const access = revocationAccess.get(auth)?.();
  if (!access) {
    throw new TokensmithError(40162, 'revokeTokens needs Basic auth with the key that issued the tokens; this client uses token auth', { statusCode: 401 });
  }
  const { http, key, timeoutMs } = access;
  return withTimeout(
    async (signal) => {
      const body = requestBody(targets, options);
      const path = `/keys/${encodeURIComponent(key.keyName)}/revokeTokens`;
      refuseInClear(http.baseUrl + path, 'revokeTokens (Basic auth with the Ably key)');
      return batchResult(await ablyRequest(http, path, 'revokeTokens', signal, body, key.basicAuthorization()));
    },
    timeoutMs,
    'revokeTokens',
  );
}

function requestBody(targets: readonly TokenRevocationTargetSpecifier[], options: TokenRevocationOptions): AblySchemas['RevokeTokensRequest'] {
  if (!Array.isArray(targets) || targets.length === 0) throw new InvalidArgumentError(40003, '"targets" must be a non-empty array of { type, value }');
  if (targets.length > MAX_TARGETS) throw new InvalidArgumentError(40003, `"targets" holds more than ${MAX_TARGETS} specifiers`);
  const specifiers = targets.map((target, index) => {
    if (typeof target?.type !== 'string' || target.type === '' || typeof target.value !== 'string' || target.value === '') {
      throw new InvalidArgumentError(40003, `"targets[${index}]" must have a non-empty string type and value`);
    }
    return `${target.type}:${target.value}`;
  });
  const { issuedBefore, allowReauthMargin } = options ?? {};
  if (issuedBefore !== undefined && (!Number.isSafeInteger(issuedBefore) || issuedBefore < 0)) {
    throw new InvalidArgumentError(40003, '"issuedBefore" must be a time in ms since the epoch');
  }
  if (allowReauthMargin !== undefined && typeof allowReauthMargin !== 'boolean') throw new InvalidArgumentError(40003, '"allowReauthMargin" must be a boolean');
  // Sent as JSON, which leaves an undefined field out.
  return { targets: specifiers, issuedBefore, allowReauthMargin };
}

function batchResult(body: unknown): TokenRevocationResult {
  const results = Array.isArray(body) ? body : (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results) || !results.every(isResult)) {
    throw new AuthProviderError(50002, 'revokeTokens answered no per-target results');
  }
  const failureCount = results.filter((result) => 'error' in result).length;
  return { successCount: results.length - failureCount, failureCount, results };
}

function isResult(value: unknown): value is TokenRevocationSuccessResult | TokenRevocationFailureResult {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record['target'] !== 'string') return false;
  if ('error' in record) return typeof record['error'] === 'object' && record['error'] !== null;
  return typeof record['appliesAt'] === 'number' && typeof record['issuedBefore'] === 'number';
}
