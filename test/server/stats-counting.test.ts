import { basic, FULL_KEY, keyName, signTokenRequest, useSuiteServer } from './helpers';

// Which counter each answer feeds is settled per route when it is registered; these are the
// counts a client reads back from GET /stats.
const suite = useSuiteServer();

async function minuteEntries(): Promise<Record<string, number>> {
  const response = await suite().call('GET', '/stats?unit=minute', { headers: { authorization: basic(FULL_KEY) } });
  expect(response.status).toBe(200);
  return response.body[0]?.entries ?? {};
}

test('token requests count as tokenRequests, other Ably calls as all; failures apart; GET /time not at all', async () => {
  const server = suite();
  const signed = signTokenRequest(FULL_KEY, { timestamp: server.clock.now() });
  const path = `/keys/${keyName(FULL_KEY)}/requestToken`;
  expect((await server.call('POST', path, { json: signed })).status).toBe(200);
  expect((await server.call('POST', path, { json: signed })).status).toBe(401);
  expect((await server.call('POST', path, { json: { ...signed, nonce: 'a-fresh-nonce-0123456789', mac: 'forged' } })).status).toBe(401);
  expect((await server.call('GET', '/time')).status).toBe(200);
  expect((await server.call('GET', '/time?format=json')).status).toBe(200);
  expect((await server.call('GET', '/channels/counted', { headers: { authorization: basic(FULL_KEY) } })).status).toBe(200);
  expect((await server.call('GET', '/channels/counted', { headers: { authorization: basic(`${keyName(FULL_KEY)}:wrong-secret`) } })).status).toBe(401);

  const entries = await minuteEntries();
  expect(entries['apiRequests.tokenRequests.succeeded']).toBe(1);
  expect(entries['apiRequests.tokenRequests.failed']).toBe(2);
  expect(entries['apiRequests.all.failed']).toBe(1);
  // The channel read; the GET /stats reading them is counted when its answer is sent, after this one is built.
  expect(entries['apiRequests.all.succeeded']).toBe(1);
});

test('a request the route schema refuses is counted as failed', async () => {
  const server = suite();
  const path = `/keys/${keyName(FULL_KEY)}/requestToken`;
  expect((await server.call('POST', path, { json: { ttl: 'sixty' } })).status).toBe(400);
  const entries = await minuteEntries();
  expect(entries['apiRequests.tokenRequests.failed']).toBe(1);
  expect(entries['apiRequests.tokenRequests.succeeded']).toBeUndefined();
});
