import { AuthProviderError, ServerError, TokensmithError } from '../core/errors';
import { readBodyText, send } from '../core/http';
import { withTimeout } from '../core/timeout';

/**
 * OpenID Connect discovery: the document at a scheme's `openIdConnectUrl`, read once (bounded in
 * bytes and time) and cached; a failed read is not cached, so the next call tries again.
 */

/** The parts of a discovery document tokensmith uses. */
export interface OpenIdConfiguration {
  readonly issuer: string;
  readonly token_endpoint: string;
  readonly token_endpoint_auth_methods_supported?: readonly string[];
  readonly grant_types_supported?: readonly string[];
}

const MAX_DISCOVERY_BYTES = 64 * 1024;
const SUFFIX = '/.well-known/openid-configuration';

/** Reads discovery documents, one shared read per URL. */
export class DiscoveryCache {
  readonly #documents = new Map<string, Promise<OpenIdConfiguration>>();

  constructor(
    private readonly fetchImpl: typeof globalThis.fetch | undefined,
    private readonly timeoutMs: number,
  ) {}

  /** The document at `url` (absolute), from cache once read. */
  get(url: string): Promise<OpenIdConfiguration> {
    let pending = this.#documents.get(url);
    if (pending === undefined) {
      pending = this.#read(url);
      this.#documents.set(url, pending);
      pending.catch(() => this.#documents.delete(url));
    }
    return pending;
  }

  async #read(url: string): Promise<OpenIdConfiguration> {
    const what = 'OpenID Connect discovery';
    return withTimeout(async (signal) => {
      const response = await send(this.fetchImpl, url, { headers: { accept: 'application/json' }, signal, redirect: 'error' }, what, []);
      const text = await readBodyText(response, `${what} document`, MAX_DISCOVERY_BYTES);
      if (response.status >= 500) throw new ServerError(50000, `${what} answered HTTP ${response.status}`, { statusCode: response.status, upstream: { status: response.status } });
      if (!response.ok) throw new TokensmithError(response.status === 404 ? 40400 : 40000, `${what} answered HTTP ${response.status}; check openIdConnectUrl`, { statusCode: response.status, upstream: { status: response.status } });
      return parseDocument(text, url, what);
    }, this.timeoutMs, what);
  }
}

function parseDocument(text: string, url: string, what: string): OpenIdConfiguration {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new AuthProviderError(50002, `${what} document is not JSON`);
  }
  const fields = (document !== null && typeof document === 'object' ? document : {}) as Record<string, unknown>;
  if (typeof fields.issuer !== 'string' || typeof fields.token_endpoint !== 'string') {
    throw new AuthProviderError(50002, `${what} document has no issuer or token_endpoint string`);
  }
  // OpenID Connect Discovery §4.3: the issuer must be the URL the document was read under.
  if (url.endsWith(SUFFIX) && fields.issuer.replace(/\/+$/, '') !== url.slice(0, -SUFFIX.length).replace(/\/+$/, '')) {
    throw new AuthProviderError(50002, `${what} document names an issuer other than the one it was read from`);
  }
  if (!/^https?:\/\//.test(fields.token_endpoint)) throw new AuthProviderError(50002, `${what} token_endpoint is not an absolute http(s) URL`);
  return fields as unknown as OpenIdConfiguration;
}
