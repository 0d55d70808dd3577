import type { TokenManager } from '../core/token-manager';
import type { OAuth2Token } from './types';

/**
 * One cached access token (one TokenManager) and the Authorization value built once per token,
 * so the warm path is a peek and a header set.
 */
export class BearerSlot {
  #lastToken: OAuth2Token | undefined;
  #lastHeader = '';

  constructor(readonly manager: TokenManager<OAuth2Token>) {}

  /** Sets `Authorization: Bearer …`; synchronous while the token is warm. */
  apply(request: Request): void | Promise<void> {
    const warm = this.manager.peek();
    if (warm !== undefined) {
      request.headers.set('Authorization', this.#header(warm));
      return;
    }
    return this.manager.getToken().then((token) => {
      request.headers.set('Authorization', this.#header(token));
    });
  }

  /** Drops the token `sent` carried (only if still current) and fetches the next. */
  async renew(sent: Request): Promise<void> {
    const header = sent.headers.get('authorization');
    if (header !== null) this.manager.invalidate(header.replace(/^Bearer\s+/i, ''));
    await this.manager.getToken();
  }

  #header(token: OAuth2Token): string {
    if (token !== this.#lastToken) {
      this.#lastToken = token;
      this.#lastHeader = `Bearer ${token.token}`;
    }
    return this.#lastHeader;
  }
}

/**
 * RFC 6750 §3.1: the resource server refused the token itself — 401 with
 * `WWW-Authenticate: Bearer … error="invalid_token"`. A bare challenge (no credentials seen) or
 * `insufficient_scope` (403) is not a reason to renew.
 */
export function isInvalidTokenResponse(response: Response): boolean {
  if (response.status !== 401) return false;
  const challenge = response.headers.get('www-authenticate');
  return challenge !== null && /(^|[\s,])bearer\b/i.test(challenge) && /\berror\s*=\s*"?invalid_token"?/i.test(challenge);
}

/** Scopes as one key: deduplicated, sorted, space-separated (the `scope` parameter's form). */
export function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(' ');
}
