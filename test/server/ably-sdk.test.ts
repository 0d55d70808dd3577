import * as Ably from 'ably';
import { SignJWT } from 'jose';
import { adminClient } from '../../tokensmith-server/src/server';
import { FULL_KEY, LIMITED_KEY, TestClock, keyName, keySecret, useSuiteServer } from './helpers';

// The official SDK signs TokenRequests with its own clock, so the server clock starts at real time.
const suite = useSuiteServer({ clock: new TestClock(Date.now()) });

// `Auth.tokenDetails` exists at runtime but is not in the SDK's type declarations.
const tokenDetailsOf = (client: Ably.Rest) => (client.auth as unknown as { tokenDetails?: Ably.TokenDetails & { keyName?: string } }).tokenDetails;

function rest(options: Ably.ClientOptions): Ably.Rest {
  const port = Number(new URL(suite().url).port);
  // Default settings otherwise: binary (msgpack) protocol on, headers as the SDK sends them.
  return new Ably.Rest({ restHost: '127.0.0.1', port, tls: false, logLevel: 0, ...options });
}

describe('interop with the official ably SDK (binary protocol on)', () => {
  test('time() reads the server clock', async () => {
    const client = rest({ key: FULL_KEY, useTokenAuth: true });
    expect(await client.time()).toBe(suite().clock.now());
  });

  test('with useTokenAuth it signs its own TokenRequest, exchanges it, publishes and reads history', async () => {
    const client = rest({ key: FULL_KEY, useTokenAuth: true, clientId: 'sdk-user' });
    expect((client as unknown as { options: { useBinaryProtocol: boolean } }).options.useBinaryProtocol).toBe(true);
    const channel = client.channels.get('interop:chat');
    await channel.publish('greeting', 'hello');
    await channel.publish([{ name: 'json', data: { n: 1 } }, { name: 'bytes', data: Buffer.from([1, 2, 3]) }]);
    const page = await channel.history({ direction: 'forwards' });
    expect(page.items.map((m) => [m.name, m.data, m.clientId])).toEqual([
      ['greeting', 'hello', 'sdk-user'],
      ['json', { n: 1 }, 'sdk-user'],
      ['bytes', Buffer.from([1, 2, 3]), 'sdk-user'],
    ]);
    expect(tokenDetailsOf(client)?.keyName).toBe(keyName(FULL_KEY));
    const paths = (await adminClient(suite().url).requests()).map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
    expect(paths).toContain(`POST /keys/${keyName(FULL_KEY)}/requestToken 200`);
  });

  test('createTokenRequest + requestToken round trip through the server', async () => {
    const client = rest({ key: FULL_KEY });
    const tokenRequest = await client.auth.createTokenRequest({ capability: { 'a:*': ['publish'] }, ttl: 120_000 });
    const details = await client.auth.requestToken(tokenRequest);
    expect(JSON.parse(details.capability)).toEqual({ 'a:*': ['publish'] });
    expect(details.expires - details.issued).toBe(120_000);
  });

  test('queryTime uses the server clock for signing even when it is far from the local one', async () => {
    await adminClient(suite().url).setClockOffset(30 * 60_000);
    const client = rest({ key: FULL_KEY, useTokenAuth: true, queryTime: true });
    await client.channels.get('skewed').publish('x', 'y');
    expect((await client.channels.get('skewed').history()).items).toHaveLength(1);
  });

  test('a capability-limited key gets 40160 on a forbidden channel and succeeds on an allowed one', async () => {
    const client = rest({ key: LIMITED_KEY, useTokenAuth: true });
    await expect(client.channels.get('forbidden').publish('x', 'y')).rejects.toMatchObject({ code: 40160, statusCode: 401 });
    await client.channels.get('allowed:room').publish('x', 'y');
    expect((await client.channels.get('allowed:room').history()).items).toHaveLength(1);
  });

  test('an Ably JWT made with jose works as the token option', async () => {
    const nowSeconds = Math.floor(suite().clock.now() / 1000);
    const jwt = await new SignJWT({ 'x-ably-capability': '{"jwt:*":["publish","history"]}', 'x-ably-clientId': 'jwt-user' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: keyName(FULL_KEY) })
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + 600)
      .sign(new TextEncoder().encode(keySecret(FULL_KEY)));
    const client = rest({ token: jwt });
    await client.channels.get('jwt:room').publish('hi', 'there');
    const page = await client.channels.get('jwt:room').history();
    expect(page.items.map((m) => [m.data, m.clientId])).toEqual([['there', 'jwt-user']]);
    await expect(client.channels.get('other').publish('x', 'y')).rejects.toMatchObject({ code: 40160 });
  });

  // ably-js 2.28 retries a REST call after renewing with the *old* Authorization header, without
  // limit (ably/ably-js#2193), so a token expired under a live client is renewed here explicitly.
  test('after the test controls expire its token, authorize() gets a fresh one the server accepts', async () => {
    const client = rest({ key: FULL_KEY, useTokenAuth: true });
    const channel = client.channels.get('renewal');
    await channel.publish('first', '1');
    const admin = adminClient(suite().url);
    const expired = tokenDetailsOf(client)?.token;
    expect(await admin.expireToken(expired)).toBe(1);
    const renewed = await client.auth.authorize();
    expect(renewed.token).not.toBe(expired);
    await channel.publish('second', '2');
    expect((await channel.history()).items.map((m) => m.name)).toEqual(['second', 'first']);
  });

  test('an injected 500 on requestToken surfaces as the SDK error with the server code', async () => {
    // count > 1: the SDK itself retries a 5xx before giving up.
    await adminClient(suite().url).injectFault({ path: `/keys/${keyName(FULL_KEY)}/requestToken`, status: 500, count: 10 });
    const client = rest({ key: FULL_KEY, useTokenAuth: true });
    await expect(client.channels.get('c').publish('x', 'y')).rejects.toMatchObject({ code: 50000 });
  });
});
