/**
 * uts/rest/unit/auth/token_request_params.md — RSA5, RSA6 — and createTokenRequest [RSA9].
 */
import { createHmac } from 'node:crypto';
import { AblyAuth } from '../../../src/ably';
import { tokenRequestSigningText } from '../../../src/ably/token-request-signing';
import { KEY, rejection, setupAuth, thrown } from '../helpers/client';
import { json } from '../helpers/mock-fetch';

const SECRET = KEY.split(':')[1]!;

describe('RSA5 RSA6 ttl and capability are left to the server unless given', () => {
  it('RSA5 ttl-null-when-unspecified', async () => {
    expect((await setupAuth({ key: KEY }).auth.createTokenRequest()).ttl).toBeUndefined();
  });
  it('RSA5b explicit-ttl-preserved', async () => {
    expect((await setupAuth({ key: KEY }).auth.createTokenRequest({ ttl: 7_200_000 })).ttl).toBe(7_200_000);
  });
  it('RSA5c ttl-from-default-params', async () => {
    expect((await setupAuth({ key: KEY, defaultTokenParams: { ttl: 1_800_000 } }).auth.createTokenRequest()).ttl).toBe(1_800_000);
  });
  it('RSA5d explicit-ttl-overrides-default', async () => {
    expect((await setupAuth({ key: KEY, defaultTokenParams: { ttl: 1_800_000 } }).auth.createTokenRequest({ ttl: 600_000 })).ttl).toBe(600_000);
  });
  it('RSA6 capability-null-when-unspecified', async () => {
    expect((await setupAuth({ key: KEY }).auth.createTokenRequest()).capability).toBeUndefined();
  });
  it('RSA6b explicit-capability-preserved', async () => {
    const capability = '{"channel-a":["publish","subscribe"]}';
    expect((await setupAuth({ key: KEY }).auth.createTokenRequest({ capability })).capability).toBe(capability);
  });
  it('RSA6c capability-from-default-params', async () => {
    const { auth } = setupAuth({ key: KEY, defaultTokenParams: { capability: '{"*":["subscribe"]}' } });
    expect((await auth.createTokenRequest()).capability).toBe('{"*":["subscribe"]}');
  });
  it('RSA6d explicit-capability-overrides-default', async () => {
    const { auth } = setupAuth({ key: KEY, defaultTokenParams: { capability: '{"*":["subscribe"]}' } });
    expect((await auth.createTokenRequest({ capability: '{"channel-x":["publish"]}' })).capability).toBe('{"channel-x":["publish"]}');
  });
  it('RSA9h given tokenParams replace the defaults; they are not merged', async () => {
    const { auth } = setupAuth({ key: KEY, defaultTokenParams: { ttl: 1_800_000, capability: '{"*":["subscribe"]}' } });
    const request = await auth.createTokenRequest({ clientId: 'only-this' });
    expect(request).not.toHaveProperty('ttl');
    expect(request).not.toHaveProperty('capability');
    expect(request.clientId).toBe('only-this');
  });
});

describe('RSA9 createTokenRequest', () => {
  afterEach(() => jest.useRealTimers());

  it('RSA9a RSA9g signs keyName, ttl, capability, clientId, timestamp and nonce with the key secret', async () => {
    const request = await setupAuth({ key: KEY }).auth.createTokenRequest({ ttl: 1000, capability: { b: ['subscribe', 'publish'], a: ['*'] }, clientId: 'c' });
    expect(request.keyName).toBe('appId.keyId');
    expect(request.capability).toBe('{"a":["*"],"b":["publish","subscribe"]}');
    expect(request.mac).toBe(createHmac('sha256', SECRET).update(tokenRequestSigningText(request)).digest('base64'));
    expect(Object.keys(request)).toEqual(['keyName', 'ttl', 'capability', 'clientId', 'timestamp', 'nonce', 'mac']);
  });

  it('RSA9c nonces have at least 16 characters and do not repeat', async () => {
    const { auth } = setupAuth({ key: KEY });
    const nonces = await Promise.all(Array.from({ length: 500 }, async () => (await auth.createTokenRequest()).nonce));
    expect(new Set(nonces).size).toBe(500);
    expect(Math.min(...nonces.map((n) => n.length))).toBeGreaterThanOrEqual(16);
  });

  it('RSA9d the timestamp comes from the local clock without queryTime, and no request is made', async () => {
    jest.useFakeTimers({ now: 1_650_000_000_000 });
    const { auth, requests } = setupAuth({ key: KEY });
    expect((await auth.createTokenRequest()).timestamp).toBe(1_650_000_000_000);
    expect(requests).toHaveLength(0);
  });

  it('RSA9d RSA10k with queryTime the timestamp is server time; /time is asked once and the offset kept', async () => {
    jest.useFakeTimers({ now: 1_650_000_000_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const skew = 7 * 60_000;
    const { auth, requests } = setupAuth({ key: KEY, queryTime: true }, () => json(200, [Date.now() + skew]));
    expect((await auth.createTokenRequest()).timestamp).toBe(1_650_000_000_000 + skew);
    jest.setSystemTime(1_650_000_100_000);
    expect((await auth.createTokenRequest()).timestamp).toBe(1_650_000_100_000 + skew);
    expect(requests.map((r) => r.url.pathname)).toEqual(['/time']);
  });

  it('RSA9b queryTime in authOptions applies to that call', async () => {
    const { auth, requests } = setupAuth({ key: KEY }, () => json(200, [Date.now()]));
    await auth.createTokenRequest(undefined, { queryTime: true });
    expect(requests).toHaveLength(1);
  });

  it('RSA9 a given timestamp and nonce are used as they are', async () => {
    const request = await setupAuth({ key: KEY }).auth.createTokenRequest({ timestamp: 12345, nonce: 'n'.repeat(16) });
    expect(request).toMatchObject({ timestamp: 12345, nonce: 'n'.repeat(16) });
  });

  it('RSA9 clientId "" is refused with 40012', async () => {
    expect((await rejection(setupAuth({ key: KEY }).auth.createTokenRequest({ clientId: '' }))).code).toBe(40012);
  });

  it('RSA9 a wildcard clientId may be requested', async () => {
    expect((await setupAuth({ key: KEY }).auth.createTokenRequest({ clientId: '*' })).clientId).toBe('*');
  });

  it.each([
    [{ ttl: -1 }, 40003],
    [{ ttl: 1.5 }, 40003],
    [{ nonce: 'short' }, 40003],
    [{ capability: '{"a":[]}' }, 40003],
    [{ capability: 'not json' }, 40003],
  ])('RSA9 invalid tokenParams %j are refused with %i', async (params, code) => {
    expect((await rejection(setupAuth({ key: KEY }).auth.createTokenRequest(params as never))).code).toBe(code);
  });

  it('RSA9 without a key createTokenRequest fails with 40101', async () => {
    expect((await rejection(setupAuth({ authCallback: () => 't' }).auth.createTokenRequest())).code).toBe(40101);
  });

  it('RSA9b a key in authOptions is used for that call', async () => {
    const request = await setupAuth({ authCallback: () => 't' }).auth.createTokenRequest(undefined, { key: 'other.key:s3cret' });
    expect(request.keyName).toBe('other.key');
    expect(request.mac).toBe(createHmac('sha256', 's3cret').update(tokenRequestSigningText(request)).digest('base64'));
  });
});

describe('key parsing', () => {
  it.each(['appId.keyId', 'appId.keyId:', 'nodot:secret', '.keyId:secret', 'appId.:secret'])('a malformed key %j is refused with 40101', (key) => {
    const error = thrown(() => new AblyAuth({ key }));
    expect(error.code).toBe(40101);
  });

  it('the secret never appears in JSON, inspect, toString or error messages', async () => {
    const util = await import('node:util');
    const secret = 'VerySecretValue123';
    const auth = new AblyAuth({ key: `app.key:${secret}`, baseUrl: 'http://rest.example.test' });
    const outputs = [JSON.stringify(auth), util.inspect(auth, { depth: 10, showHidden: true }), String(auth), JSON.stringify(Object.entries(auth))];
    const { AblyKey } = await import('../../../src/ably');
    const key = AblyKey.parse(`app.key:${secret}`);
    outputs.push(JSON.stringify(key), util.inspect(key, { showHidden: true, depth: 10 }), String(key));
    outputs.push(thrown(() => new AblyAuth({ key: secret })).message);
    outputs.push(thrown(() => new AblyAuth({ key: `${secret}:` })).message);
    for (const output of outputs) expect(output).not.toContain(secret);
    expect(JSON.stringify(auth)).toContain('app.key');
  });
});
