import { AuthProviderError, TransportError, redact } from '../core/errors';
import { ABLY_PROTOCOL_VERSION, errorFromAblyResponse } from './http';
import { tokenDetailsFrom } from './token-result';
import type { TokenDetails, TokenRequest } from './types';

/**
 * The two Ably REST calls auth itself makes: `GET /time` and exchanging a signed TokenRequest at
 * `POST /keys/{keyName}/requestToken` (no Authorization header: the MAC is the credential).
 */

/** Where and how auth talks to Ably. */
export interface AblyRest {
  /** Base URL without a trailing slash. */
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  /** Strings to scrub from error messages. */
  secrets(): readonly string[];
}

const JSON_HEADERS = { accept: 'application/json', 'x-ably-version': ABLY_PROTOCOL_VERSION };

/** Server time in ms since the epoch [RSA10k]. */
export async function fetchServerTime(rest: AblyRest, signal: AbortSignal): Promise<number> {
  const response = await send(rest, `${rest.baseUrl}/time`, { method: 'GET', headers: JSON_HEADERS, signal }, 'GET /time');
  if (!response.ok) throw await errorFromAblyResponse(response, 'GET /time', rest.secrets());
  const body: unknown = await response.json().catch(() => undefined);
  const time = Array.isArray(body) ? body[0] : undefined;
  if (typeof time !== 'number' || !Number.isFinite(time)) throw new AuthProviderError(50002, 'GET /time answered something other than [ms]');
  return time;
}

/** Exchanges a signed TokenRequest for a token [RSA8a]. Errors carry Ably's code (e.g. 40101, 40104). */
export async function exchangeTokenRequest(rest: AblyRest, request: TokenRequest, signal: AbortSignal): Promise<TokenDetails> {
  const url = `${rest.baseUrl}/keys/${encodeURIComponent(request.keyName)}/requestToken`;
  const init = { method: 'POST', headers: { ...JSON_HEADERS, 'content-type': 'application/json' }, body: JSON.stringify(request), signal };
  const response = await send(rest, url, init, 'requestToken');
  if (!response.ok) throw await errorFromAblyResponse(response, 'requestToken', rest.secrets());
  const body: unknown = await response.json().catch(() => undefined);
  const record = body as Record<string, unknown> | null;
  if (typeof record !== 'object' || record === null || typeof record.token !== 'string' || record.token === '') {
    throw new AuthProviderError(50002, 'requestToken answered no TokenDetails');
  }
  return tokenDetailsFrom(record);
}

async function send(rest: AblyRest, url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await rest.fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason ?? error;
    const message = error instanceof Error ? error.message : String(error);
    throw new TransportError(80000, redact(`${what}: network error: ${message}`, rest.secrets()));
  }
}
