import { InvalidArgumentError } from '../errors';
import type { TokenLike } from '../store';
import type { TokenManager } from '../token-manager';
import { isHeaderValue } from './placement';
import type { EngineProvider } from './compile';

/** The bearer provider {@link managerBearer} makes: an {@link EngineProvider}. */
export interface ManagerBearer extends EngineProvider {
  apply(request: Request): void | Promise<void>;
  isRejection(response: Response): boolean;
  renew(use: unknown, sent: Request): Promise<void>;
}

/**
 * `Authorization: Bearer <token>` from a {@link TokenManager}: its cached token while warm (the
 * header string built once per token, so the warm path allocates nothing), the shared fetch
 * otherwise; on a 401 the rejected token is dropped (only if still current) and the next is
 * fetched, and the call retried once. `BearerCredential` uses it for a manager; `MetquayAuth`
 * uses it alone, so its bundle carries none of the other bearer sources. It has no `kinds`: it is
 * never checked as a `createSpecAuth` credential (BearerCredential, which wraps it, is).
 */
export function managerBearer(manager: TokenManager<TokenLike>): ManagerBearer {
  let lastToken: TokenLike | undefined;
  let lastHeader = '';
  const authorize = (request: Request, token: TokenLike): void => {
    if (token !== lastToken) {
      if (!isHeaderValue(token.token)) throw new InvalidArgumentError(40003, 'the TokenManager gave a token with characters a header cannot carry');
      lastToken = token;
      lastHeader = `Bearer ${token.token}`;
    }
    request.headers.set('Authorization', lastHeader);
  };
  // Apart from `apply`, so its warm path makes no closure.
  const authorizeLater = async (request: Request, pending: Promise<TokenLike>): Promise<void> => authorize(request, await pending);
  return {
    apply(request) {
      const warm = manager.peek();
      if (warm === undefined) return authorizeLater(request, manager.getToken());
      authorize(request, warm);
    },
    isRejection: (response) => response.status === 401,
    async renew(_use, sent) {
      // A header this provider did not build last carries an older token, never the current one.
      if (sent.headers.get('authorization') === lastHeader) manager.invalidate(lastToken!.token);
      await manager.getToken();
    },
  };
}
