import type { Middleware } from 'openapi-fetch';
import type { AblyApi } from './api';
import { createAblyApi } from './api';
import { AblyAuth } from './auth';
import { ABLY_PROTOCOL_VERSION } from './http';
import type { AblyAuthOptions } from './options';

/** Options of `createAblyClient`: the {@link AblyAuthOptions} plus openapi-fetch settings. */
export interface AblyClientOptions extends AblyAuthOptions {
  /** Further middleware, registered before auth (so auth signs the final request). */
  middleware?: readonly Middleware[] | undefined;
  /** Headers sent with every request (`X-Ably-Version` is always sent). */
  headers?: Record<string, string> | undefined;
}

/** A typed openapi-fetch client of the Ably REST paths with auth attached. */
export type AblyClient = AblyApi & {
  /** The auth behind the client: createTokenRequest, requestToken, authorize, createJwt. */
  readonly auth: AblyAuth;
};

/** Binds `createAblyClient` to an AblyAuth class (web or node signer). @internal */
export function bindCreateAblyClient(Auth: new (options: AblyAuthOptions) => AblyAuth): (options: AblyClientOptions) => AblyClient {
  return function createAblyClient(options: AblyClientOptions): AblyClient {
    const auth = new Auth(options);
    const client = createAblyApi({
      baseUrl: auth.baseUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      headers: { ...options.headers, 'X-Ably-Version': ABLY_PROTOCOL_VERSION },
      middleware: [...(options.middleware ?? []), auth.middleware],
    });
    return Object.assign(client, { auth });
  };
}

/**
 * A typed openapi-fetch client of the Ably REST paths (`generated/ably.ts`) with auth attached
 * and `X-Ably-Version` sent; the auth is at `client.auth`.
 *
 * @example
 * ```ts
 * const ably = createAblyClient({ key: process.env.ABLY_KEY, useTokenAuth: true });
 * const { data, error } = await ably.POST('/channels/{channelId}/messages', {
 *   params: { path: { channelId: 'chat:lobby' } },
 *   body: { name: 'greeting', data: 'hello' },
 * });
 * ```
 */
export const createAblyClient: (options: AblyClientOptions) => AblyClient = /* @__PURE__ */ bindCreateAblyClient(AblyAuth);
