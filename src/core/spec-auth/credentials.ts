import { base64FromUtf8 } from '../base64';
import { InvalidArgumentError } from '../errors';
import type { TokenLike } from '../store';
import type { TokenManager } from '../token-manager';
import { placeApiKey, refuseInClear } from './placement';
import type { AnySchemeProvider, SchemeKinds, SchemeProvider, SchemeUse } from './types';

/**
 * The built-in credentials: http basic, bearer (a static token, a TokenManager, or a function),
 * and apiKey (header, query, cookie). Each keeps its secret in a private field: printing one
 * (`console.log`, `util.inspect`, `JSON.stringify`, `String`) shows only its kind.
 */

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** A user name and password for an http basic scheme. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/** A bearer token: a fixed string, a {@link TokenManager} (cached, renewed on a 401), or a function called per request. */
export type BearerSource = string | TokenManager<TokenLike> | (() => string | Promise<string>);

/** An API key: a fixed string, or a function called per request. */
export type ApiKeySource = string | (() => string | Promise<string>);

abstract class Credential {
  abstract readonly label: string;
  /** Only the kind, never the secret. */
  toJSON(): { credential: string } {
    return { credential: this.label };
  }
  toString(): string {
    return `${this.label} [credential]`;
  }
  [INSPECT](): string {
    return this.toString();
  }
}

/**
 * http basic: `Authorization: Basic base64(username:password)`, refused (40103) over plain http
 * to a host other than loopback.
 */
export class BasicCredential extends Credential implements SchemeProvider<'basic'> {
  readonly label = 'BasicCredential';
  readonly kinds: SchemeKinds<'basic'> = BASIC;
  readonly #header: string;

  constructor(credentials: BasicCredentials, name = 'credentials') {
    super();
    const { username, password } = (credentials ?? {}) as Partial<BasicCredentials>;
    if (typeof username !== 'string' || typeof password !== 'string') throw new InvalidArgumentError(40003, `${name} must be { username, password } strings`);
    if (username.includes(':')) throw new InvalidArgumentError(40003, `${name}.username cannot contain ":" (RFC 7617)`);
    this.#header = `Basic ${base64FromUtf8(`${username}:${password}`)}`;
  }

  apply(request: Request, use: SchemeUse): void {
    refuseInClear(request.url, `Basic auth (scheme "${use.schemeName}")`);
    request.headers.set('Authorization', this.#header);
  }
}

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
  readonly kinds: SchemeKinds<'bearer' | 'oauth2' | 'openIdConnect'> = TOKEN;
  readonly isRejection?: (response: Response, use: SchemeUse) => boolean;
  readonly renew?: (use: SchemeUse, sent: Request) => Promise<void>;
  readonly #static: string | undefined;
  readonly #manager: TokenManager<TokenLike> | undefined;
  readonly #source: (() => string | Promise<string>) | undefined;
  #lastToken: TokenLike | undefined;
  #lastHeader = '';

  constructor(source: BearerSource, name = 'credentials') {
    super();
    if (typeof source === 'string') {
      if (source === '') throw new InvalidArgumentError(40003, `${name} is an empty token`);
      this.#static = `Bearer ${source}`;
    } else if (typeof source === 'function') {
      this.#source = source;
    } else if (isTokenManager(source)) {
      const manager = source;
      this.#manager = manager;
      this.isRejection = (response) => response.status === 401;
      this.renew = async (_use, sent) => {
        const header = sent.headers.get('authorization');
        if (header !== null) manager.invalidate(header.replace(/^Bearer\s+/i, ''));
        await manager.getToken();
      };
    } else {
      throw new InvalidArgumentError(40003, `${name} must be a token string, a TokenManager or a function returning a token`);
    }
  }

  apply(request: Request): void | Promise<void> {
    if (this.#static !== undefined) {
      request.headers.set('Authorization', this.#static);
      return;
    }
    const manager = this.#manager;
    if (manager !== undefined) {
      const warm = manager.peek();
      if (warm !== undefined) {
        request.headers.set('Authorization', this.#header(warm));
        return;
      }
      return manager.getToken().then((token) => {
        request.headers.set('Authorization', this.#header(token));
      });
    }
    const token = this.#source!();
    if (typeof token === 'string') return setBearer(request, token);
    return token.then((value) => setBearer(request, value));
  }

  #header(token: TokenLike): string {
    if (token !== this.#lastToken) {
      this.#lastToken = token;
      this.#lastHeader = `Bearer ${token.token}`;
    }
    return this.#lastHeader;
  }
}

/**
 * An API key, placed as the apiKey scheme says: the `name` header, the `name` query parameter, or
 * the `name` cookie (merged into a Cookie header already on the request). A key carried in the
 * query never appears in tokensmith's errors, logs or printed objects.
 */
export class ApiKeyCredential extends Credential implements SchemeProvider<'apiKey'> {
  readonly label = 'ApiKeyCredential';
  readonly kinds: SchemeKinds<'apiKey'> = API_KEY;
  readonly #value: string | undefined;
  readonly #source: (() => string | Promise<string>) | undefined;
  readonly #name: string;

  constructor(source: ApiKeySource, name = 'credentials') {
    super();
    this.#name = name;
    if (typeof source === 'string') {
      if (source === '') throw new InvalidArgumentError(40003, `${name} is an empty key`);
      this.#value = source;
    } else if (typeof source === 'function') {
      this.#source = source;
    } else {
      throw new InvalidArgumentError(40003, `${name} must be a key string or a function returning one`);
    }
  }

  prepare(use: SchemeUse): void {
    if (use.scheme.in === 'cookie' && this.#value !== undefined && !isCookieValue(this.#value)) {
      throw new InvalidArgumentError(40003, `${this.#name} holds characters a cookie value cannot carry (scheme "${use.schemeName}" puts it in a cookie)`);
    }
  }

  apply(request: Request, use: SchemeUse): Request | undefined | Promise<Request | undefined> {
    const { in: placement, name } = use.scheme as { in: string; name: string };
    if (this.#value !== undefined) return placeApiKey(request, placement, name, this.#value);
    const value = this.#source!();
    if (typeof value === 'string') return placeKey(request, placement, name, value, this.#name);
    return value.then((resolved) => placeKey(request, placement, name, resolved, this.#name));
  }
}

const BASIC = Object.freeze({ basic: true } as const);
const TOKEN = Object.freeze({ bearer: true, oauth2: true, openIdConnect: true } as const);
const API_KEY = Object.freeze({ apiKey: true } as const);

function setBearer(request: Request, token: string): void {
  if (typeof token !== 'string' || token === '') throw new InvalidArgumentError(40003, 'the bearer token function returned no token');
  request.headers.set('Authorization', `Bearer ${token}`);
}

function placeKey(request: Request, placement: string, name: string, value: string, label: string): Request | undefined {
  if (typeof value !== 'string' || value === '') throw new InvalidArgumentError(40003, `${label} returned no key`);
  if (placement === 'cookie' && !isCookieValue(value)) throw new InvalidArgumentError(40003, `${label} returned characters a cookie value cannot carry`);
  return placeApiKey(request, placement, name, value);
}

/** RFC 6265 §4.1.1 cookie-octets. */
function isCookieValue(value: string): boolean {
  return /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/.test(value);
}

/** A TokenManager, or anything shaped like one (no import, so the class stays out of bundles that do not use it). */
export function isTokenManager(value: unknown): value is TokenManager<TokenLike> {
  const candidate = value as Partial<TokenManager<TokenLike>> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.peek === 'function' && typeof candidate.getToken === 'function' && typeof candidate.invalidate === 'function';
}

/** True for an object implementing {@link SchemeProvider}. */
export function isSchemeProvider(value: unknown): value is AnySchemeProvider {
  const candidate = value as Partial<AnySchemeProvider> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.apply === 'function' && typeof candidate.kinds === 'object' && candidate.kinds !== null;
}
