import type { OAuth2Refusal } from './authority';

/**
 * Reads the client's credentials from a token request (RFC 6749 §2.3.1): HTTP Basic with the
 * form-encoded id and secret (`client_secret_basic`), or `client_id` and `client_secret` in the
 * body (`client_secret_post`) — never both.
 */

/** The credentials a request presented, and how. */
export interface PresentedClient {
  clientId: string;
  clientSecret: string;
  method: 'client_secret_basic' | 'client_secret_post';
}

/** A refusal, and whether the client tried the Authorization header (then 401 needs `WWW-Authenticate`). */
export type ClientAuthRefusal = OAuth2Refusal & { status: 400 | 401; usedBasic: boolean };

/** The credentials of the request, or why they cannot be read. */
export function presentedClient(authorization: string | undefined, form: URLSearchParams): PresentedClient | ClientAuthRefusal {
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  if (authorization !== undefined) {
    const basic = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization);
    if (!basic) return refusal(401, 'invalid_client', 'the Authorization header must be HTTP Basic with the client id and secret', true);
    if (bodySecret !== null) return refusal(400, 'invalid_request', 'authenticate the client with the Authorization header or client_secret in the body, not both', true);
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const clientId = formDecode(decoded.slice(0, Math.max(colon, 0)));
    const clientSecret = formDecode(decoded.slice(colon + 1));
    if (colon < 1 || clientId === undefined || clientSecret === undefined) {
      return refusal(401, 'invalid_client', 'the Basic credentials must be form-encoded client_id ":" client_secret', true);
    }
    if (bodyId !== null && bodyId !== clientId) return refusal(400, 'invalid_request', 'client_id in the body differs from the one in the Authorization header', true);
    return { clientId, clientSecret, method: 'client_secret_basic' };
  }
  if (bodyId === null || bodySecret === null) {
    return refusal(401, 'invalid_client', 'authenticate the client with HTTP Basic or with client_id and client_secret in the body', true);
  }
  return { clientId: bodyId, clientSecret: bodySecret, method: 'client_secret_post' };
}

function refusal(status: 400 | 401, error: OAuth2Refusal['error'], description: string, usedBasic: boolean): ClientAuthRefusal {
  return { status, error, description, usedBasic };
}

/** application/x-www-form-urlencoded decoding of one value; undefined when it is malformed. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
