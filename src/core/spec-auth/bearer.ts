import { InvalidArgumentError } from '../errors';
import type { TokenLike } from '../store';
import type { TokenManager } from '../token-manager';
import { Credential, isTokenManager } from './credential';
import { managerBearer } from './manager-bearer';
import { isHeaderValue } from './placement';
import type { SchemeKinds, SchemeProvider, SchemeUse } from './types';

/** A bearer token: a fixed string, a {@link TokenManager} (cached, renewed on a 401), or a function called per request. */
export type BearerSource = string | TokenManager<TokenLike> | (() => string | Promise<string>);

/**
 * A bearer token for an http bearer, oauth2 or openIdConnect scheme:
 * `Authorization: Bearer <token>`.
 *
 * - A string: sent as it is.
 * - A TokenManager: its cached token while warm (the header string built once per token, so the
 *   warm path allocates nothing), the shared fetch otherwise; on a 401 the rejected token is
 *   dropped (only if still current) and the next is fetched, and the call retried once.
 * - A function: called for every request (cache in it if it is costly).
 */
export class BearerCredential extends Credential implements SchemeProvider<'bearer' | 'oauth2' | 'openIdConnect'> {
  readonly label = 'BearerCredential';
  readonly kinds: SchemeKinds<'bearer' | 'oauth2' | 'openIdConnect'> = /* @__PURE__ */ Object.freeze({ bearer: true, oauth2: true, openIdConnect: true } as const);
  readonly isRejection?: (response: Response, use: SchemeUse) => boolean;
  readonly renew?: (use: SchemeUse, sent: Request) => Promise<void>;
  /** Chosen once for the source's kind, so a request pays no dispatch on it. */
  readonly #apply: (request: Request) => void | Promise<void>;

  constructor(source: BearerSource, name = 'credentials') {
    super();
    if (typeof source === 'string') {
      if (!isHeaderValue(source)) throw new InvalidArgumentError(40003, `${name} is empty or holds characters a header cannot carry`);
      const header = `Bearer ${source}`;
      this.#apply = (request) => request.headers.set('Authorization', header);
    } else if (typeof source === 'function') {
      this.#apply = (request) => {
        const token = source();
        return typeof token === 'string' ? setBearer(request, token) : setBearerLater(request, token);
      };
    } else if (isTokenManager(source)) {
      const managed = managerBearer(source);
      this.#apply = (request) => managed.apply(request);
      this.isRejection = (response) => managed.isRejection(response);
      this.renew = (use, sent) => managed.renew(use, sent);
    } else {
      throw new InvalidArgumentError(40003, `${name} must be a token string, a TokenManager or a function returning a token`);
    }
  }

  apply(request: Request): void | Promise<void> {
    return this.#apply(request);
  }
}

function setBearer(request: Request, token: string): void {
  if (typeof token !== 'string' || !isHeaderValue(token)) throw new InvalidArgumentError(40003, 'the bearer token function returned no token, or one with characters a header cannot carry');
  request.headers.set('Authorization', `Bearer ${token}`);
}

async function setBearerLater(request: Request, pending: Promise<string>): Promise<void> {
  setBearer(request, await pending);
}
