import type { Middleware } from 'openapi-fetch';
import { base64FromUtf8 } from '../core/base64';

/** The header an Ably REST client names its identity in: base64 of the clientId's UTF-8 [RSA7e2]. */
export const CLIENT_ID_HEADER = 'X-Ably-ClientId';

/**
 * Wraps the auth middleware so every request it signs with Basic auth also carries
 * `X-Ably-ClientId` [RSA7e2]. Token requests carry no header: the token itself holds the identity.
 * With no `clientId` the auth middleware is returned as it is.
 *
 * @see Ably client features spec RSA7e2
 */
export function withClientIdHeader(auth: Middleware, clientId: string | undefined): Middleware {
  if (clientId === undefined || auth.onRequest === undefined) return auth;
  const header = base64FromUtf8(clientId);
  const onRequest = auth.onRequest.bind(auth);
  const mark = (result: Request | Response | undefined | void, request: Request): Request | Response | undefined => {
    if (result instanceof Response) return result;
    const signed = result ?? request;
    if (/^basic /i.test(signed.headers.get('Authorization') ?? '')) signed.headers.set(CLIENT_ID_HEADER, header);
    return result ?? undefined;
  };
  return {
    ...auth,
    onRequest(params) {
      const result = onRequest(params);
      return result instanceof Promise ? result.then((value) => mark(value, params.request)) : mark(result, params.request);
    },
  };
}
