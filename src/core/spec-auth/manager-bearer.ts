import { InvalidArgumentError } from '../errors';
import type { TokenLike } from '../store';
import type { TokenManager } from '../token-manager';
import { isHeaderValue } from './placement';
import type { EngineProvider } from './compile';

/**
 * `Authorization: Bearer <token>` from a {@link TokenManager}: its cached token while warm (the
 * header string built once per token, so the warm path allocates nothing), the shared fetch
 * otherwise; on a 401 the rejected token is dropped (only if still current) and the next is
 * fetched, and the call retried once. `BearerCredential` uses it for a manager; `MetquayAuth`
 * uses it alone, so its bundle carries none of the other bearer sources. It has no `kinds`: it is
 * never checked as a `createSpecAuth` credential (BearerCredential, which wraps it, is).
 */
export class ManagerBearer implements EngineProvider {
  readonly #manager: TokenManager<TokenLike>;
  #lastToken: TokenLike | undefined;
  #lastHeader = '';

  constructor(manager: TokenManager<TokenLike>) {
    this.#manager = manager;
  }

  apply(request: Request): void | Promise<void> {
    const warm = this.#manager.peek();
    if (warm === undefined) return this.#authorizeLater(request, this.#manager.getToken());
    this.#authorize(request, warm);
  }

  isRejection(response: Response): boolean {
    return response.status === 401;
  }

  async renew(_use: unknown, sent: Request): Promise<void> {
    // A header this provider did not build last carries an older token, never the current one.
    if (sent.headers.get('authorization') === this.#lastHeader) this.#manager.invalidate(this.#lastToken!.token);
    await this.#manager.getToken();
  }

  /** Apart from `apply`, so its warm path makes no closure. */
  async #authorizeLater(request: Request, pending: Promise<TokenLike>): Promise<void> {
    this.#authorize(request, await pending);
  }

  #authorize(request: Request, token: TokenLike): void {
    if (token !== this.#lastToken) {
      if (!isHeaderValue(token.token)) throw new InvalidArgumentError(40003, 'the TokenManager gave a token with characters a header cannot carry');
      this.#lastToken = token;
      this.#lastHeader = `Bearer ${token.token}`;
    }
    request.headers.set('Authorization', this.#lastHeader);
  }
}
