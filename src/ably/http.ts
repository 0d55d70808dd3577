import { AuthProviderError, type TokensmithError } from '../core/errors';
import { readBodyText, send } from '../core/http';
import { errorFromResponse } from '../core/response-error';
import { decodeMsgpack } from './msgpack-decode';
import type { TokenDetails, TokenRequest } from './types';

/**
 * The HTTP auth itself makes to Ably: `GET /time`, exchanging a signed TokenRequest at `POST
 * /keys/{keyName}/requestToken` (no Authorization header: the MAC is the credential), and reading
 * Ably's error envelope. Every body is read through core's 64 KiB bounded reader.
 */

/**
 * `X-Ably-Version` sent with every request, the value the official JavaScript SDK (ably 2.x,
 * `Defaults.protocolVersion`) sends.
 */
export const ABLY_PROTOCOL_VERSION = '6';

/** Where and how auth talks to Ably. Immutable; shared by every token source of one client. */
export interface AblyHttp {
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  /** The `fetch` option; the global one (looked up per call) when absent. */
  readonly fetch: typeof globalThis.fetch | undefined;
  /** Strings to scrub from error messages (the key secret). */
  readonly secrets: readonly string[];
}

const JSON_HEADERS = { accept: 'application/json', 'x-ably-version': ABLY_PROTOCOL_VERSION };

/** Server time in ms since the epoch [RSA10k]. */
export async function fetchServerTime(http: AblyHttp, signal: AbortSignal): Promise<number> {
  const response = await send(http.fetch, `${http.baseUrl}/time`, { method: 'GET', headers: JSON_HEADERS, signal }, 'GET /time', http.secrets);
  if (!response.ok) throw await errorFromAblyResponse(response, 'GET /time', http.secrets);
  const body = parseJson(await readBodyText(response, 'GET /time answer'));
  const time = Array.isArray(body) ? body[0] : undefined;
  if (typeof time !== 'number' || !Number.isFinite(time)) throw new AuthProviderError(50002, 'GET /time answered something other than [ms]');
  return time;
}

/** Exchanges a signed TokenRequest for a token [RSA8a]. Errors carry Ably's code (e.g. 40101, 40104). */
export async function exchangeTokenRequest(http: AblyHttp, request: TokenRequest, signal: AbortSignal): Promise<TokenDetails> {
  const url = `${http.baseUrl}/keys/${encodeURIComponent(request.keyName)}/requestToken`;
  const init = { method: 'POST', headers: { ...JSON_HEADERS, 'content-type': 'application/json' }, body: JSON.stringify(request), signal };
  const response = await send(http.fetch, url, init, 'requestToken', http.secrets);
  if (!response.ok) throw await errorFromAblyResponse(response, 'requestToken', http.secrets);
  const record = parseJson(await readBodyText(response, 'requestToken answer')) as Record<string, unknown> | null | undefined;
  if (typeof record !== 'object' || record === null || typeof record.token !== 'string' || record.token === '') {
    throw new AuthProviderError(50002, 'requestToken answered no TokenDetails');
  }
  return tokenDetailsFrom(record);
}

/** A TokenDetails with only the known fields of `record`, of the right types. */
export function tokenDetailsFrom(record: Record<string, unknown>): TokenDetails {
  const details: TokenDetails = { token: record.token as string };
  if (typeof record.expires === 'number') details.expires = record.expires;
  if (typeof record.issued === 'number') details.issued = record.issued;
  if (typeof record.capability === 'string') details.capability = record.capability;
  if (typeof record.clientId === 'string') details.clientId = record.clientId;
  if (typeof record.keyName === 'string') details.keyName = record.keyName;
  return details;
}

/**
 * The typed error for a failed Ably answer, through core's one mapper: Ably's code and message
 * (JSON or msgpack envelope) when there is one, the class chosen by condition, secrets scrubbed.
 */
export function errorFromAblyResponse(response: Response, what: string, secrets: readonly string[]): Promise<TokensmithError> {
  return errorFromResponse(response, { what: `Ably ${what}`, secrets, refused: 'credentials', decodeMsgpack });
}

/** `JSON.parse`, or `undefined` for text that is not JSON (the caller says what it expected). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
