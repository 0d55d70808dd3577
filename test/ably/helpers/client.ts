import { AblyAuth, type AblyAuthOptions } from '../../../src/ably';
import { createAblyClient } from '../../../src/client';
import { mockFetch, type MockHandler } from './mock-fetch';

/** The base URL unit tests point clients at; nothing listens there: the mock answers. */
export const BASE_URL = 'https://rest.ably.test';
/** A well-formed key for unit tests. */
export const KEY = 'appId.keyId:keySecret';

/** A client with auth over a mocked fetch, as in Ably's unit test specs. */
export function setup(options: AblyAuthOptions, handler: MockHandler) {
  const mock = mockFetch(handler);
  const ably = createAblyClient({ baseUrl: BASE_URL, ...options, fetch: mock.fetch });
  return { ably, auth: ably.auth, requests: mock.requests };
}

/** An AblyAuth alone over a mocked fetch. */
export function setupAuth(options: AblyAuthOptions, handler: MockHandler = () => new Response(null, { status: 500 })) {
  const mock = mockFetch(handler);
  const auth = new AblyAuth({ baseUrl: BASE_URL, ...options, fetch: mock.fetch });
  return { auth, requests: mock.requests };
}

/** `GET /channels/{channelId}/messages`, the stand-in for "any authenticated request". */
export function history(ably: ReturnType<typeof setup>['ably'], channelId = 'test') {
  return ably.GET('/channels/{channelId}/messages', { params: { path: { channelId } } });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: number; statusCode?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: number; statusCode?: number };
  }
  throw new Error('expected a rejection');
}

/** The error a function throws synchronously. */
export function thrown(run: () => unknown): Error & { code?: number; statusCode?: number } {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: number; statusCode?: number };
  }
  throw new Error('expected a throw');
}
