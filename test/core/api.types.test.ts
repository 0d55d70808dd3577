import type { Middleware } from 'openapi-fetch';
import * as core from '../../src/core';
import * as storeEntry from '../../src/store';
import { MemoryTokenStore, sharedStore, type SharedTokenStore } from '../../src/store';
import {
  TokenManager,
  createAuthMiddleware,
  type AuthProvider,
  type TokenState,
  type TokenStore,
} from '../../src/core';

type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_: T): void {}

/** Compile-time checks; `tsc --noEmit` fails if any line here stops holding. Never called. */
function typeContracts(): void {
  const manager = new TokenManager({ fetchToken: async () => ({ token: 't', expiresAt: 1, details: { id: 1 } }) });
  assertType<Equal<Awaited<ReturnType<typeof manager.getToken>>, { token: string; expiresAt: number; details: { id: number } }>>(true);
  assertType<Equal<ReturnType<typeof manager.peek>, { token: string; expiresAt: number; details: { id: number } } | undefined>>(true);
  assertType<Equal<ReturnType<typeof manager.invalidate>, boolean>>(true);
  assertType<Equal<ReturnType<typeof manager.exportState>, TokenState<{ token: string; expiresAt: number; details: { id: number } }> | undefined>>(true);

  // @ts-expect-error fetchToken must resolve an object with a token string
  new TokenManager({ fetchToken: async () => ({ tok: 't' }) });
  // @ts-expect-error expiresAt is a number of ms, not a Date
  new TokenManager({ fetchToken: async () => ({ token: 't', expiresAt: new Date() }) });

  const store: TokenStore = new MemoryTokenStore();
  // @ts-expect-error a store keeps states, not bare tokens
  void store.set('k', { token: 't' }, 1_000);
  const fetchToken = async () => ({ token: 't' });
  // @ts-expect-error a plain TokenStore is not a shared store: wrap it with sharedStore() from tokensmith/store
  new TokenManager({ fetchToken, store, storeKey: 'k' });
  new TokenManager({ fetchToken, store: sharedStore(store), storeKey: 'k' });
  const shared: SharedTokenStore = new MemoryTokenStore();
  new TokenManager({ fetchToken, store: shared, storeKey: 'k' });

  const provider: AuthProvider = { authorization: () => 'Bearer x', isTokenRejection: () => false, renew: async () => {} };
  const middleware: Middleware = createAuthMiddleware({ operationSecurity: { 'GET /x': [] }, securitySchemes: {}, provider });
  void middleware;
  // @ts-expect-error provider.authorization returns a header value or undefined, not a number
  const bad: AuthProvider = { authorization: () => 1, isTokenRejection: () => false, renew: async () => {} };
  void bad;
}

describe('public core API', () => {
  test('the entry exports the documented values', () => {
    void typeContracts;
    expect(Object.keys(core).sort()).toEqual(
      [
        'ANY_SCHEME',
        'ApiKeyCredential',
        'BasicCredential',
        'BearerCredential',
        'AuthProviderError',
        'ConfigurationError',
        'DEFAULT_RETRY_OPTIONS',
        'DEFAULT_TOKEN_MANAGER_OPTIONS',
        'ERROR_CODES',
        'InvalidArgumentError',
        'InvalidCredentialsError',
        'MAX_TOKEN_RESPONSE_BYTES',
        'RateLimitError',
        'ReplayableRequest',
        'RequestNotReplayableError',
        'ResponseTooLargeError',
        'ServerError',
        'SystemClock',
        'TimeoutError',
        'TokenError',
        'TokenManager',
        'TokensmithError',
        'TransportError',
        'codeForStatus',
        'createAuthMiddleware',
        'createBearerProvider',
        'createRedactingLogger',
        'createSpecAuth',
        'errorForCode',
        'isTokenErrorCode',
        'isTransient',
        'redact',
        'redactor',
        'refuseUnset',
        'schemeKind',
        'silentLogger',
        'statusForCode',
        'unmetRequirement',
        'unsupportedReason',
        'withoutUndefined',
      ].sort(),
    );
  });

  test('the store entry exports the stores and their helpers; the default entry none of them', () => {
    expect(Object.keys(storeEntry).sort()).toEqual(['MemoryTokenStore', 'credentialIdentity', 'sharedStore']);
  });

  test('defaults are frozen so no caller can change them for everyone', () => {
    expect(Object.isFrozen(core.DEFAULT_TOKEN_MANAGER_OPTIONS)).toBe(true);
    expect(Object.isFrozen(core.DEFAULT_RETRY_OPTIONS)).toBe(true);
  });

  test('logging is silent by default and costs no wrapper', () => {
    expect(core.createRedactingLogger(undefined, () => [])).toBe(core.silentLogger);
  });
});
