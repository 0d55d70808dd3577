import { base64FromUtf8 } from '../core/base64';
import type { Clock } from '../core/clock';
import { ConfigurationError } from '../core/errors';
import { credentialIdentity } from '../core/store';
import { TokenManager } from '../core/token-manager';
import type { AblyToken } from './auth-provider';
import type { AblyKey } from './key';
import type { AblyAuthOptions, AuthOptions } from './options';
import type { ObtainedToken } from './request-token';
import type { NormalisedTokenParams } from './token-params';
import type { TokenDetails } from './types';

/** What {@link createTokenManager} builds a manager from. */
export interface AblyManagerSetup {
  options: Readonly<AblyAuthOptions>;
  authOptions: Readonly<AuthOptions>;
  key: AblyKey | undefined;
  params: NormalisedTokenParams;
  baseUrl: string;
  clock: Clock;
  /** A token given as is (option `token`/`tokenDetails`), served until it expires or is rejected. */
  literal: TokenDetails | undefined;
  authTimeoutMs: number;
  secrets: readonly string[];
  fetchToken(signal: AbortSignal): Promise<ObtainedToken & { expiry: ExpiryMode }>;
}

/**
 * How a token's expiry is tracked: `lifetime` (`expires - issued` counted from the send; for a
 * token Ably has just issued), `absolute` (`expires` as is), `unknown` (used until rejected).
 */
export type ExpiryMode = 'lifetime' | 'absolute' | 'unknown';

/**
 * A core {@link TokenManager} for Ably tokens. A token Ably has just issued counts its lifetime
 * (`expires - issued`) from when the request was sent, so host clock skew does not matter; a
 * token handed over by an authCallback or authUrl may be old, so its `expires` is taken as is.
 * See {@link ExpiryMode}.
 */
export function createTokenManager(setup: AblyManagerSetup): TokenManager<AblyToken> {
  const { options, literal, clock } = setup;
  return new TokenManager<AblyToken>({
    fetchToken: async (signal) => {
      const { details, expiry } = await setup.fetchToken(signal);
      return toAblyToken(details, expiry);
    },
    clock,
    // The authCallback/authUrl step has its own 40170 timeout; this one bounds the whole attempt.
    fetchTimeoutMs: setup.authTimeoutMs + 10_000,
    secrets: setup.secrets,
    ...(options.refreshMarginMs !== undefined ? { refreshMarginMs: options.refreshMarginMs } : {}),
    ...(options.onAuthError ? { onAuthError: options.onAuthError } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.store ? { store: options.store, storeKey: storeKey(setup) } : {}),
    ...(options.lock ? { lock: options.lock } : {}),
    ...(literal
      ? {
          initialState: {
            value: toAblyToken(literal, 'absolute'),
            obtainedAt: clock.now(),
            ...(literal.expires !== undefined ? { expiresAt: literal.expires } : {}),
          },
        }
      : {}),
  });
}

/** Wraps TokenDetails for the manager, with the header value built once. */
export function toAblyToken(details: TokenDetails, expiry: ExpiryMode): AblyToken {
  const expires = expiry === 'unknown' ? undefined : details.expires;
  return {
    token: details.token,
    ...(expires !== undefined ? { expiresAt: expires } : {}),
    ...(expiry === 'lifetime' && details.issued !== undefined && expires !== undefined ? { issuedAt: details.issued } : {}),
    details,
    authorization: `Bearer ${base64FromUtf8(details.token)}`,
  };
}

/** The store identity: public parts only (keyName, the authUrl without its query, token params). */
function storeKey(setup: AblyManagerSetup): string {
  const { authOptions, key, params } = setup;
  let source: string;
  if (authOptions.authCallback) {
    throw new ConfigurationError(40003, '"store" needs a key or authUrl to identify the credential; an authCallback has no stable identity');
  } else if (authOptions.authUrl) {
    const url = new URL(authOptions.authUrl);
    source = `${url.origin}${url.pathname}`;
  } else if (key) {
    source = key.keyName;
  } else {
    throw new ConfigurationError(40003, '"store" needs a key or authUrl to identify the credential');
  }
  return credentialIdentity({
    provider: 'ably',
    baseUrl: setup.baseUrl,
    source,
    ttl: params.ttl,
    capability: params.capability,
    clientId: params.clientId,
  });
}
