import { AuthProviderError } from '../core/errors';
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

/**
 * One JSON request to Ably (`GET` without a body, else `POST`), `X-Ably-Version` sent: the answer
 * parsed (undefined when it is not JSON; the caller says what it expected), read through core's
 * bounded reader. A failed answer throws the typed error for Ably's envelope (JSON or msgpack):
 * Ably's code and message, the class chosen by condition, secrets scrubbed.
 */
export async function ablyRequest(http: AblyHttp, path: string, what: string, signal: AbortSignal, body?: unknown, authorization?: string): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-ably-version': ABLY_PROTOCOL_VERSION };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (authorization !== undefined) headers.authorization = authorization;
  const init = { method: body === undefined ? 'GET' : 'POST', headers, body: JSON.stringify(body), signal };
  const response = await send(http.fetch, http.baseUrl + path, init, what, http.secrets);
  if (!response.ok) throw await errorFromResponse(response, { what: `Ably ${what}`, secrets: http.secrets, refused: 'credentials', decodeMsgpack });
  return parseJson(await readBodyText(response, `${what} answer`));
}

/** Server time in ms since the epoch [RSA10k]. */
export async function fetchServerTime(http: AblyHttp, signal: AbortSignal): Promise<number> {
  const body = await ablyRequest(http, '/time', 'GET /time', signal);
  const time = Array.isArray(body) ? body[0] : undefined;
  if (typeof time !== 'number' || !Number.isFinite(time)) throw new AuthProviderError(50002, 'GET /time answered something other than [ms]');
  return time;
}

/** Exchanges a signed TokenRequest for a token [RSA8a]; no Authorization header: the MAC is the credential. Errors carry Ably's code (e.g. 40101, 40104). */
export async function exchangeTokenRequest(http: AblyHttp, request: TokenRequest, signal: AbortSignal): Promise<TokenDetails> {
  const record = (await ablyRequest(http, `/keys/${encodeURIComponent(request.keyName)}/requestToken`, 'requestToken', signal, request)) as Record<string, unknown> | null | undefined;
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

/** `JSON.parse`, or `undefined` for text that is not JSON (the caller says what it expected). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
