import { base64FromUtf8 } from '../core/base64';
import { isTokenErrorCode } from '../core/errors';
import { refuseInClear } from '../core/spec-auth/placement';
import type { EngineProvider } from '../core/spec-auth/compile';
import type { SchemeUse } from '../core/spec-auth/types';
import type { TokenManager } from '../core/token-manager';
import { readErrorBody } from '../core/response-error';
import type { AblyKey } from './key';
import { decodeMsgpack } from './msgpack-decode';
import type { AuthMethod } from './settings';
import type { AblyToken } from './token-source';

/** The header an Ably REST client names its identity in: base64 of the clientId's UTF-8 [RSA7e2]. */
export const CLIENT_ID_HEADER = 'X-Ably-ClientId';

/** What one AblyAuth configuration authenticates with; replaced whole, never changed. */
export interface AblySession {
  readonly method: AuthMethod;
  readonly key: AblyKey | undefined;
  /** The manager of this configuration's token source (unused with Basic auth until `authorize()`). */
  readonly manager: TokenManager<AblyToken>;
}

/**
 * The scheme provider behind `AblyAuth.middleware` and `middlewareFor`: it serves any http basic
 * or bearer scheme of a spec, whichever the current session uses. `AblyAuth` hands it each new
 * session ({@link AblyAuthProvider.use}); it never calls back into `AblyAuth`.
 *
 * - Basic (available while the session is Basic): `Basic base64(key)`, refused with 40103 on a
 *   request to plain http other than loopback, and, with a library `clientId`, `X-Ably-ClientId`
 *   [RSA7e2].
 * - Bearer (available while the session is token auth): the cached `Bearer base64(token)` when
 *   warm (`peek()`, no allocation), else the shared fetch.
 * - A rejection is a 401 whose Ably error code is 40140–40149, read from a clone (JSON or msgpack,
 *   at most 64 KiB); other 401s are returned to the caller as they are [RSC10b].
 * - Renewal drops the rejected token only if it is still current, then gets the next one [RSA4b].
 */
export interface AblyAuthProvider extends EngineProvider {
  /** Authenticates every later request with `session`. */
  use(session: AblySession): void;
  available(use: SchemeUse): boolean;
  apply(request: Request, use: SchemeUse): void | Promise<void>;
  isRejection(response: Response, use: SchemeUse): boolean | Promise<boolean>;
  renew(use: SchemeUse, sent: Request): Promise<void>;
  /** Only public facts. */
  toJSON(): { method: AuthMethod };
}

/** Makes the {@link AblyAuthProvider} of `session`; its state lives in the closure (fewer bytes than #private fields). */
export function ablyAuthProvider(session: AblySession, clientId: string | undefined): AblyAuthProvider {
  const clientIdHeader = clientId === undefined ? undefined : base64FromUtf8(clientId);
  return {
    use(next) {
      session = next;
    },
    available(use) {
      return use.kind === 'basic' ? session.method === 'basic' && session.key !== undefined : session.method === 'token';
    },
    apply(request, use) {
      if (use.kind === 'basic') {
        refuseInClear(request.url, 'Basic auth (the Ably key)', 'token auth');
        request.headers.set('Authorization', session.key!.basicAuthorization());
        if (clientIdHeader !== undefined) request.headers.set(CLIENT_ID_HEADER, clientIdHeader);
        return;
      }
      const warm = session.manager.peek();
      if (warm !== undefined) {
        request.headers.set('Authorization', warm.authorization);
        return;
      }
      return authorizeLater(request, session.manager.getToken());
    },
    isRejection(response, use) {
      if (response.status !== 401 || use.kind !== 'bearer' || session.method !== 'token') return false;
      // Ably's envelope is `{ error: { code } }`; an unreadable body is no rejection.
      return readErrorBody(response.clone(), 'Ably', decodeMsgpack).then(
        (body) => isTokenErrorCode((body as { error?: { code?: unknown } } | null | undefined)?.error?.code),
        () => false,
      );
    },
    async renew(_use, sent) {
      const manager = session.manager;
      const current = manager.peek();
      if (current !== undefined && current.authorization === sent.headers.get('authorization')) manager.invalidate(current.token);
      await manager.getToken();
    },
    toJSON: () => ({ method: session.method }),
  };
}

/** Sets the token's header once it arrives; apart from `apply` so its warm path makes no closure. */
async function authorizeLater(request: Request, pending: Promise<AblyToken>): Promise<void> {
  request.headers.set('Authorization', (await pending).authorization);
}
