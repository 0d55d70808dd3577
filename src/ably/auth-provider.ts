import { ConfigurationError, isTokenErrorCode } from '../core/errors';
import type { AuthProvider, AuthScheme } from '../core/middleware';
import type { TokenManager } from '../core/token-manager';
import { readAblyErrorInfo } from './http';
import type { AblyKey } from './key';
import { isLoopbackHost, type AuthMethod } from './settings';
import type { AblyToken } from './token-source';

/** What one AblyAuth configuration authenticates with; replaced whole, never changed. */
export interface AblySession {
  readonly method: AuthMethod;
  readonly key: AblyKey | undefined;
  /** The manager of this configuration's token source (unused with Basic auth until `authorize()`). */
  readonly manager: TokenManager<AblyToken>;
}

/**
 * The {@link AuthProvider} behind `AblyAuth.middleware`. `AblyAuth` hands it each new session
 * ({@link AblyAuthProvider.use}); it never calls back into `AblyAuth`.
 *
 * - Basic: `Basic base64(key)`, refused with 40103 when the base URL is plain http to a host
 *   other than loopback (the key would cross the network in the clear).
 * - Token: the cached `Bearer base64(token)` when warm (`peek()`, no allocation), else waits for
 *   the shared fetch.
 * - A rejection is a 401 whose Ably error code is 40140–40149, read from a clone (JSON or
 *   msgpack, at most 64 KiB); other 401s are returned to the caller as they are [RSC10b].
 * - Renewal drops the rejected token only if it is still current, then gets the next one [RSA4b].
 */
export class AblyAuthProvider implements AuthProvider {
  #session: AblySession;
  readonly #insecureBasic: boolean;

  constructor(baseUrl: string, session: AblySession) {
    const url = new URL(baseUrl);
    this.#insecureBasic = url.protocol === 'http:' && !isLoopbackHost(url.hostname);
    this.#session = session;
  }

  /** Authenticates every later request with `session`. */
  use(session: AblySession): void {
    this.#session = session;
  }

  authorization(allowed: readonly AuthScheme[]): string | undefined | Promise<string | undefined> {
    const session = this.#session;
    if (session.method === 'basic') {
      if (!allowed.includes('basic') || !session.key) return undefined;
      if (this.#insecureBasic) {
        throw new ConfigurationError(40103, 'Basic auth sends the key itself; refused over plain http to a non-loopback host. Use https or token auth');
      }
      return session.key.basicAuthorization();
    }
    if (!allowed.includes('bearer')) return undefined;
    const warm = session.manager.peek();
    if (warm !== undefined) return warm.authorization;
    return session.manager.getToken().then(headerOf);
  }

  isTokenRejection(response: Response): boolean | Promise<boolean> {
    if (response.status !== 401 || this.#session.method !== 'token') return false;
    return readAblyErrorInfo(response.clone()).then((info) => isTokenErrorCode(info?.code));
  }

  async renew(rejectedAuthorization: string): Promise<void> {
    const manager = this.#session.manager;
    const current = manager.peek();
    if (current !== undefined && current.authorization === rejectedAuthorization) manager.invalidate(current.token);
    await manager.getToken();
  }

  /** Only public facts. */
  toJSON(): { method: AuthMethod } {
    return { method: this.#session.method };
  }
}

function headerOf(token: AblyToken): string {
  return token.authorization;
}
