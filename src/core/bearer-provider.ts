import type { AuthProvider } from './middleware';
import type { TokenLike } from './store';
import type { TokenManager } from './token-manager';

/** Options of {@link createBearerProvider}. */
export interface BearerProviderOptions {
  /** The Authorization value for a token; default `Bearer <token>`. */
  authorization?: ((token: string) => string) | undefined;
  /** Whether a response means the token was refused; default: status 401. Do not consume the body. */
  isTokenRejection?: ((response: Response) => boolean | Promise<boolean>) | undefined;
}

/**
 * An {@link AuthProvider} that sends a {@link TokenManager}'s token as a bearer token: the cached
 * header while the token is warm, the shared fetch otherwise, and on a rejection drops that token
 * (only if still current) and fetches the next. Operations that accept no bearer scheme get no
 * header from it.
 *
 * @example
 * ```ts
 * import { createAuthMiddleware, createBearerProvider, TokenManager } from 'tokensmith';
 * import { createApiClient } from 'tokensmith/client';
 * import type { paths } from './generated/petstore';
 * import * as petstoreSecurity from './generated/petstore.security';
 *
 * const manager = new TokenManager({ fetchToken: async () => ({ token: await login(), expiresAt: Date.now() + 600_000 }) });
 * const client = createApiClient<paths>(petstoreSecurity.defaultServerUrl, {
 *   middleware: [createAuthMiddleware({ ...petstoreSecurity, provider: createBearerProvider(manager) })],
 * });
 * ```
 */
export function createBearerProvider<T extends TokenLike>(manager: TokenManager<T>, options: BearerProviderOptions = {}): AuthProvider {
  const format = options.authorization ?? ((token: string) => `Bearer ${token}`);
  let lastToken: T | undefined;
  let lastHeader = '';
  // Built once per token, so the warm path only reads a string.
  const header = (token: T): string => {
    if (token !== lastToken) {
      lastToken = token;
      lastHeader = format(token.token);
    }
    return lastHeader;
  };
  return {
    authorization(allowed) {
      if (!allowed.includes('bearer')) return undefined;
      const warm = manager.peek();
      if (warm !== undefined) return header(warm);
      return manager.getToken().then(header);
    },
    isTokenRejection: options.isTokenRejection ?? ((response) => response.status === 401),
    async renew(rejectedAuthorization) {
      const current = manager.peek();
      if (current !== undefined && header(current) === rejectedAuthorization) manager.invalidate(current.token);
      await manager.getToken();
    },
  };
}
