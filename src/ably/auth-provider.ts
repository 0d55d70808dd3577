import { ConfigurationError, isTokenErrorCode } from '../core/errors';
import type { AuthProvider, AuthScheme } from '../core/middleware';
import type { TokenLike } from '../core/store';
import type { TokenManager } from '../core/token-manager';
import { readAblyErrorInfo } from './http';
import type { AblyKey } from './key';
import { isLoopbackHost, type AuthMethod } from './settings';
import type { TokenDetails } from './types';

/** What the token manager holds for Ably: the details and the header value, built once per token. */
export interface AblyToken extends TokenLike {
  /** The TokenDetails as obtained. */
  details: TokenDetails;
  /** `Bearer base64(token)`, so the warm path only reads a string. */
  authorization: string;
}

/** Live views of AblyAuth's state the provider reads on each request. */
export interface AblyAuthProviderState {
  method(): AuthMethod;
  manager(): TokenManager<AblyToken>;
  key: AblyKey | undefined;
  baseUrl: string;
}

/**
 * The {@link AuthProvider} behind `AblyAuth.middleware`.
 *
 * - Basic: `Basic base64(key)`, refused with 40103 when the base URL is plain http to a host
 *   other than loopback (the key would cross the network in the clear).
 * - Token: the cached `Bearer base64(token)` when warm (`peek()`, no allocation), else waits for
 *   the shared fetch.
 * - A rejection is a 401 whose Ably error code is 40140–40149, read from a clone (JSON or
 *   msgpack); other 401s are returned to the caller as they are [RSC10b].
 * - Renewal drops the rejected token only if it is still current, then gets the next one [RSA4b].
 */
export function createAblyAuthProvider(state: AblyAuthProviderState): AuthProvider {
  const url = new URL(state.baseUrl);
  const insecureBasic = url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  return {
    authorization(allowed: readonly AuthScheme[]) {
      if (state.method() === 'basic') {
        if (!allowed.includes('basic') || !state.key) return undefined;
        if (insecureBasic) {
          throw new ConfigurationError(40103, 'Basic auth sends the key itself; refused over plain http to a non-loopback host. Use https or token auth');
        }
        return state.key.basicAuthorization();
      }
      if (!allowed.includes('bearer')) return undefined;
      const manager = state.manager();
      const warm = manager.peek();
      if (warm !== undefined) return warm.authorization;
      return manager.getToken().then((token) => token.authorization);
    },
    isTokenRejection(response: Response) {
      if (response.status !== 401 || state.method() !== 'token') return false;
      return readAblyErrorInfo(response.clone()).then((info) => isTokenErrorCode(info?.code));
    },
    async renew(rejectedAuthorization: string) {
      const manager = state.manager();
      const current = manager.peek();
      if (current !== undefined && current.authorization === rejectedAuthorization) manager.invalidate(current.token);
      await manager.getToken();
    },
  };
}
