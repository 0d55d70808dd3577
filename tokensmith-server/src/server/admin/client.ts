import { codeForStatus, errorForCode } from 'tokensmith';
import type { ClockState, FaultSpec, PendingFault, RequestLogEntry, ServerStats } from './types';

/** Options of {@link adminClient}. */
export interface AdminClientOptions {
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch | undefined;
}

/** Typed calls to a local server's test controls (see `startAuthServer({ admin: true })`). */
export interface AdminClient {
  /** Makes a token (issued or an Ably JWT) answer 40142; without one, every issued token. Returns how many. */
  expireToken(token?: string): Promise<number>;
  /** Makes a token answer 40141; without one, every issued token. Returns how many. */
  revokeToken(token?: string): Promise<number>;
  /** Revokes a key: its Basic auth, TokenRequests and tokens answer 40131. False if unknown. */
  revokeKey(keyName: string): Promise<boolean>;
  /** Reads the server clock. */
  clock(): Promise<ClockState>;
  /** Sets the server clock's skew from real time, in ms. */
  setClockOffset(offsetMs: number): Promise<ClockState>;
  /** Moves the server clock forward (or back, when negative) by `ms`. */
  advanceClock(ms: number): Promise<ClockState>;
  /** Queues a fault for the next matching requests; returns its id. */
  injectFault(spec: FaultSpec): Promise<string>;
  /** Faults still pending. */
  faults(): Promise<PendingFault[]>;
  /** Drops every pending fault. */
  clearFaults(): Promise<void>;
  /** The request log, oldest first (test-control calls are not in it). */
  requests(): Promise<RequestLogEntry[]>;
  /** Empties the request log. */
  clearRequests(): Promise<void>;
  /** Sizes of the server's bounded stores. */
  stats(): Promise<ServerStats>;
  /** Tokens, nonces, messages, revocations, faults, request log, clock skew and the Metquay side back to start. */
  reset(): Promise<void>;
  /** Makes a Metquay access token (or, without one, every issued one) answer 401 expired. Returns how many. */
  expireMetquayToken(accessToken?: string): Promise<number>;
  /** Makes a Metquay access token (or every issued one) answer 401 revoked. Returns how many. */
  revokeMetquayToken(accessToken?: string): Promise<number>;
  /** Makes an OAuth2 access or refresh token (or, without one, every token) refused as expired. Returns how many. */
  expireOAuth2Token(token?: string): Promise<number>;
  /** Makes an OAuth2 access or refresh token (or every token) refused as revoked. Returns how many. */
  revokeOAuth2Token(token?: string): Promise<number>;
  /** Revokes every OAuth2 access and refresh token of a client. Returns how many. */
  revokeOAuth2Client(clientId: string): Promise<number>;
  /** Mints a refresh token for a configured OAuth2 client, as an authorization-code flow would hand a user. */
  mintOAuth2RefreshToken(clientId: string, scopes?: string[]): Promise<string>;
  /** OAuth2 counts: tokens issued, refresh tokens issued, tokens held and their estimated bytes. */
  oauth2Stats(): Promise<{ tokensIssued: number; refreshTokensIssued: number; storedTokens: number; storeBytes: number; verifiedCacheTokens: number; verifiedCacheBytes: number }>;
}

/**
 * A client for the test controls, so tests expire tokens, skew the clock or inject failures over
 * HTTP instead of sleeping. Uses only `fetch`, so it runs wherever the tests do.
 *
 * @example
 * ```ts
 * const server = await startAuthServer({ admin: true });
 * const admin = adminClient(server.url);
 * await admin.injectFault({ path: '/time', status: 503, count: 2, retryAfterSeconds: 1 });
 * await admin.advanceClock(61 * 60_000); // every 60-minute token is now expired
 * ```
 */
export function adminClient(baseUrl: string, options: AdminClientOptions = {}): AdminClient {
  const doFetch = options.fetch ?? fetch;
  const root = baseUrl.replace(/\/+$/, '');
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await doFetch(`${root}${path}`, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      const text = await response.text();
      let message = `admin call ${method} ${path} failed with status ${response.status}`;
      let code: number = codeForStatus(response.status);
      try {
        const parsed = JSON.parse(text) as { error?: { message?: string; code?: number }; message?: string };
        message = `${message}: ${parsed.error?.message ?? parsed.message ?? ''}`;
        code = parsed.error?.code ?? code;
      } catch {
        // not JSON; keep the status-only message
      }
      throw errorForCode(code, message, { statusCode: response.status });
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
  const tokenBody = (token: string | undefined) => (token === undefined ? {} : { token });
  const metquayBody = (accessToken: string | undefined) => (accessToken === undefined ? {} : { accessToken });
  return {
    expireToken: async (token) => (await call<{ affected: number }>('POST', '/_admin/tokens/expire', tokenBody(token))).affected,
    revokeToken: async (token) => (await call<{ affected: number }>('POST', '/_admin/tokens/revoke', tokenBody(token))).affected,
    revokeKey: async (keyName) => (await call<{ affected: number }>('POST', '/_admin/keys/revoke', { keyName })).affected > 0,
    clock: () => call('GET', '/_admin/clock'),
    setClockOffset: (offsetMs) => call('POST', '/_admin/clock', { offsetMs }),
    advanceClock: (ms) => call('POST', '/_admin/clock', { advanceMs: ms }),
    injectFault: async (spec) => (await call<{ id: string }>('POST', '/_admin/faults', spec)).id,
    faults: async () => (await call<{ faults: PendingFault[] }>('GET', '/_admin/faults')).faults,
    clearFaults: () => call('DELETE', '/_admin/faults'),
    requests: async () => (await call<{ requests: RequestLogEntry[] }>('GET', '/_admin/requests')).requests,
    clearRequests: () => call('DELETE', '/_admin/requests'),
    stats: () => call('GET', '/_admin/stats'),
    reset: () => call('POST', '/_admin/reset'),
    expireMetquayToken: async (accessToken) =>
      (await call<{ affected: number }>('POST', '/api/v1/_admin/metquay/tokens/expire', metquayBody(accessToken))).affected,
    revokeMetquayToken: async (accessToken) =>
      (await call<{ affected: number }>('POST', '/api/v1/_admin/metquay/tokens/revoke', metquayBody(accessToken))).affected,
    expireOAuth2Token: async (token) => (await call<{ affected: number }>('POST', '/_admin/oauth2/tokens/expire', tokenBody(token))).affected,
    revokeOAuth2Token: async (token) => (await call<{ affected: number }>('POST', '/_admin/oauth2/tokens/revoke', tokenBody(token))).affected,
    revokeOAuth2Client: async (clientId) => (await call<{ affected: number }>('POST', '/_admin/oauth2/tokens/revoke', { clientId })).affected,
    mintOAuth2RefreshToken: async (clientId, scopes) =>
      (await call<{ refresh_token: string }>('POST', '/_admin/oauth2/refresh-tokens', scopes === undefined ? { clientId } : { clientId, scopes })).refresh_token,
    oauth2Stats: () => call('GET', '/_admin/oauth2/stats'),
  };
}
