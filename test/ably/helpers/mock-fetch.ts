import { encode } from '@msgpack/msgpack';

/** A request as the mock saw it. */
export interface CapturedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** Handler of the mock: answers each request. */
export type MockHandler = (request: CapturedRequest) => Response | Promise<Response>;

/**
 * An in-process `fetch` for unit tests in the style of Ably's portable test specs (a mocked HTTP
 * client): records every request and answers with `handler`.
 */
export function mockFetch(handler: MockHandler): { fetch: typeof globalThis.fetch; requests: CapturedRequest[] } {
  const requests: CapturedRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const captured: CapturedRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: request.body ? await request.text() : '',
    };
    requests.push(captured);
    return handler(captured);
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A msgpack response. */
export function msgpack(status: number, body: unknown): Response {
  return new Response(encode(body), { status, headers: { 'content-type': 'application/x-msgpack' } });
}

/** An Ably error envelope response. */
export function ablyError(status: number, code: number, message = 'error'): Response {
  return json(status, { error: { code, statusCode: status, message } });
}

/** A plain text response with the given content type. */
export function text(status: number, body: string, contentType = 'text/plain'): Response {
  return new Response(body, { status, headers: contentType ? { 'content-type': contentType } : {} });
}

/** `Bearer base64(token)`, as Ably clients send tokens. */
export function bearer(token: string): string {
  return `Bearer ${Buffer.from(token, 'utf8').toString('base64')}`;
}

/** `Basic base64(key)`. */
export function basic(key: string): string {
  return `Basic ${Buffer.from(key, 'utf8').toString('base64')}`;
}

/** Whether a request is the token exchange. */
export function isRequestToken(request: CapturedRequest): boolean {
  return /^\/keys\/[^/]+\/requestToken$/.test(request.url.pathname);
}

/** A TokenDetails as Ably answers, valid for an hour from `now`. */
export function tokenDetails(token: string, extra: Record<string, unknown> = {}, now = Date.now()): Record<string, unknown> {
  return { token, issued: now, expires: now + 3_600_000, capability: '{"*":["*"]}', ...extra };
}
