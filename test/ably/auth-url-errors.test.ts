/**
 * authUrl failures: Retry-After is honoured on 429 and 503 like the key and Metquay paths (given
 * up at once past maxDelayMs), and every non-2xx answer carries the documented 40170 with the
 * endpoint's status and code kept as `upstream`.
 */
import { AblyAuth } from '../../src/ably';
import { AuthProviderError, RateLimitError, ServerError } from '../../src/core/errors';
import { BASE_URL, rejection } from './helpers/client';
import { json, mockFetch, text } from './helpers/mock-fetch';

const AUTH_URL = 'https://tokens.example.test/ably-token';

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
afterEach(() => jest.useRealTimers());

function client(answers: (() => Response)[]) {
  let index = 0;
  const mock = mockFetch((request) => {
    if (request.url.origin !== new URL(AUTH_URL).origin) return json(200, []);
    const answer = answers[Math.min(index, answers.length - 1)]!;
    index += 1;
    return answer();
  });
  const ably = new AblyAuth({ baseUrl: BASE_URL, authUrl: AUTH_URL, fetch: mock.fetch });
  const hits = () => mock.requests.filter((request) => request.url.origin === new URL(AUTH_URL).origin).length;
  return { auth: ably, hits };
}

test('429 with Retry-After: 3600 gives up at once with a RateLimitError carrying the wait', async () => {
  const { auth, hits } = client([() => json(429, { error: { code: 42910, message: 'slow down' } }, { 'retry-after': '3600' })]);
  const error = await rejection(auth.authorize());
  expect(error).toBeInstanceOf(RateLimitError);
  expect(error).toMatchObject({ code: 42910, statusCode: 429, retryAfterMs: 3_600_000, upstream: { status: 429, code: 42910 } });
  expect(hits()).toBe(1);
});

test('503 with a short Retry-After is waited out, then the token arrives', async () => {
  const answers = [() => new Response('busy', { status: 503, headers: { 'retry-after': '2' } }), () => text(200, 'the-token')];
  const { auth: waiting, hits: waitingHits } = client(answers);
  const pending = waiting.authorize();
  await jest.advanceTimersByTimeAsync(1_900);
  expect(waitingHits()).toBe(1); // still waiting out the 2 s
  await jest.advanceTimersByTimeAsync(400); // Retry-After plus at most baseDelayMs of jitter
  expect((await pending).token).toBe('the-token');
  expect(waitingHits()).toBe(2);
});

test('503 with a Retry-After past maxDelayMs is given up at once, as a ServerError with the wait', async () => {
  const { auth, hits } = client([() => new Response('busy', { status: 503, headers: { 'retry-after': '600' } })]);
  const error = await rejection(auth.authorize());
  expect(error).toBeInstanceOf(ServerError);
  expect(error).toMatchObject({ code: 40170, statusCode: 503, retryAfterMs: 600_000, upstream: { status: 503 } });
  expect(hits()).toBe(1);
});

test.each([
  [401, 40100, AuthProviderError, 401],
  [403, 40300, AuthProviderError, 401],
  [404, undefined, AuthProviderError, 401],
  [500, 50000, ServerError, 500],
])('HTTP %i (endpoint code %s) becomes 40170, with the endpoint’s status and code as upstream', async (status, code, errorClass, statusCode) => {
  const answer = () => (code === undefined ? text(status, 'nope') : json(status, { error: { code, message: `failure ${code}` } }));
  const { auth } = client([answer]);
  const pending = rejection(auth.authorize());
  await jest.advanceTimersByTimeAsync(10_000); // a 5xx is retried with backoff first
  const error = await pending;
  expect(error).toBeInstanceOf(errorClass);
  expect(error).toMatchObject({ code: 40170, statusCode, upstream: code === undefined ? { status } : { status, code } });
  expect(error.message).toContain(`authUrl answered HTTP ${status}`);
});
