import type { Middleware } from 'openapi-fetch';
import { ConfigurationError } from '../core/errors';
import { isLoopbackHost } from './settings';

/**
 * Wraps auth middleware so that Basic auth (the key itself) is never sent over plain http to a
 * host other than loopback, judged by each request's own URL: a client of another spec may point
 * somewhere other than `AblyAuth.baseUrl`, which is all the provider can see.
 */
export function refuseBasicInClear(middleware: Middleware): Middleware {
  const onRequest = middleware.onRequest!;
  const check = (request: Request): void => {
    if (!request.headers.get('Authorization')?.startsWith('Basic ')) return;
    const url = new URL(request.url);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      throw new ConfigurationError(40103, 'Basic auth sends the key itself; refused over plain http to a non-loopback host. Use https or token auth');
    }
  };
  return {
    ...middleware,
    onRequest(context) {
      const result = onRequest(context);
      if (result instanceof Promise) {
        return result.then((value) => {
          check(context.request);
          return value;
        });
      }
      check(context.request);
      return result;
    },
  };
}
