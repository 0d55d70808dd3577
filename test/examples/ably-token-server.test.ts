/**
 * examples/ably-token-server.ts against the local server: a browser-style client with `authUrl`
 * gets TokenRequests bound to its session's user and limited to `chat:*`.
 */
import { createAblyClient } from '../../src/client';
import { main, startTokenServer, type TokenServer } from '../../examples/ably-token-server';
import { captureLog, DEMO_CREDENTIALS, startLocalServer, type LocalServer } from './helpers';

let local: LocalServer;
let endpoint: TokenServer;
const output = captureLog();

beforeAll(async () => {
  local = await startLocalServer();
  endpoint = await main({ ABLY_KEY: DEMO_CREDENTIALS.ablyKey, ABLY_BASE_URL: local.server.url, PORT: '0' }, output.log);
});
afterAll(async () => {
  await endpoint.close();
  await local.server.close();
});
beforeEach(() => local.admin.reset());

const browser = (user?: string) =>
  createAblyClient({ baseUrl: local.server.url, authUrl: endpoint.authUrl, ...(user ? { authHeaders: { 'x-demo-user': user } } : {}) });

describe('examples/ably-token-server', () => {
  it('main prints the authUrl it serves', () => {
    expect(output.lines).toEqual([expect.stringContaining(endpoint.authUrl)]);
  });

  it('answers a signed-in user with a TokenRequest (no key secret, not cacheable)', async () => {
    const response = await fetch(endpoint.authUrl, { headers: { 'x-demo-user': 'alice' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(text).not.toContain(DEMO_CREDENTIALS.ablyKey.split(':')[1]);
    expect(JSON.parse(text)).toMatchObject({ keyName: 'demoApp.demoKey', clientId: 'alice', mac: expect.any(String) });
  });

  it('the identity comes from the session header, not from the clientId in the query', async () => {
    const response = await fetch(`${endpoint.authUrl}?clientId=mallory`, { headers: { 'x-demo-user': 'alice' } });
    expect((await response.json()).clientId).toBe('alice');
  });

  it('a browser client with authUrl publishes on chat:* as its user; the token is exchanged with Ably, not the endpoint', async () => {
    const ably = browser('alice');
    const { response } = await ably.POST('/channels/{channelId}/messages', { params: { path: { channelId: 'chat:lobby' } }, body: { name: 'hi', data: 'from alice' } });
    expect(response.status).toBe(201);
    expect(ably.auth.clientId).toBe('alice');
    const history = await ably.GET('/channels/{channelId}/messages', { params: { path: { channelId: 'chat:lobby' } } });
    expect(history.data?.[0]).toMatchObject({ data: 'from alice', clientId: 'alice' });
    expect(await local.log()).toEqual([
      'POST /keys/demoApp.demoKey/requestToken 200',
      `POST /channels/${encodeURIComponent('chat:lobby')}/messages 201`,
      `GET /channels/${encodeURIComponent('chat:lobby')}/messages 200`,
    ]);
  });

  it('the browser token cannot leave chat:* (40160)', async () => {
    const { error, response } = await browser('alice').POST('/channels/{channelId}/messages', { params: { path: { channelId: 'billing' } }, body: { data: 'x' } });
    expect(response.status).toBe(401);
    expect(error?.error.code).toBe(40160);
  });

  it('without a session the endpoint refuses and the client fails with 40170', async () => {
    const error = await browser()
      .GET('/channels/{channelId}/messages', { params: { path: { channelId: 'chat:lobby' } } })
      .then(() => undefined, (e: { code?: number }) => e);
    expect(error?.code).toBe(40170);
  });

  it('startTokenServer takes your identify and capability', async () => {
    const custom = await startTokenServer({ key: DEMO_CREDENTIALS.ablyKey, port: 0, identify: () => 'svc', capability: { 'feed:*': ['subscribe'] }, ttl: 60_000 });
    try {
      const body = await (await fetch(custom.authUrl)).json();
      expect(body).toMatchObject({ clientId: 'svc', capability: '{"feed:*":["subscribe"]}', ttl: 60_000 });
    } finally {
      await custom.close();
    }
  });

  it('main without ABLY_KEY says what to set', async () => {
    await expect(main({}, output.log)).rejects.toThrow(/ABLY_KEY/);
  });
});
