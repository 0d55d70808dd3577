import { SignJWT, UnsecuredJWT } from 'jose';
import { FULL_KEY, LIMITED_KEY, bearer, expectAblyError, getToken, keyName, keySecret, useSuiteServer } from './helpers';

const suite = useSuiteServer();
const channel = '/channels/allowed%3Aroom/messages';

interface JwtOptions {
  key?: string;
  kid?: string | null;
  alg?: string;
  iat?: number | null;
  exp?: number | null;
  claims?: Record<string, unknown>;
}

/** An Ably JWT made with jose: HS256 with the key secret, kid = keyName, times in seconds. */
async function ablyJwt(nowMs: number, options: JwtOptions = {}): Promise<string> {
  const key = options.key ?? FULL_KEY;
  const iat = options.iat === undefined ? Math.floor(nowMs / 1000) : options.iat;
  const exp = options.exp === undefined ? Math.floor(nowMs / 1000) + 3600 : options.exp;
  const header: Record<string, unknown> = { alg: options.alg ?? 'HS256', typ: 'JWT' };
  if (options.kid !== null) header.kid = options.kid ?? keyName(key);
  const jwt = new SignJWT({ ...options.claims }).setProtectedHeader(header as { alg: string });
  if (iat !== null) jwt.setIssuedAt(iat);
  if (exp !== null) jwt.setExpirationTime(exp);
  const secret = new TextEncoder().encode(keySecret(key));
  return jwt.sign(options.alg === 'HS512' ? new TextEncoder().encode(keySecret(key).repeat(2)) : secret);
}

const get = (token: string, encode = true) =>
  suite().call('GET', channel, { headers: { authorization: encode ? bearer(token) : `Bearer ${token}` } });

describe('Ably JWTs as bearer tokens', () => {
  test('a valid JWT signed with the key secret is accepted (base64 in the header, as the SDK sends it)', async () => {
    expect((await get(await ablyJwt(suite().clock.now()))).status).toBe(200);
  });

  test('a raw (not base64) JWT in the header is accepted too', async () => {
    expect((await get(await ablyJwt(suite().clock.now()), false)).status).toBe(200);
  });

  test('an expired JWT is 40142', async () => {
    const now = suite().clock.now();
    expectAblyError(await get(await ablyJwt(now, { iat: Math.floor(now / 1000) - 7200, exp: Math.floor(now / 1000) - 1 })), 40142, 401);
  });

  test('a JWT expires on the server clock: valid now, 40142 once the clock passes exp', async () => {
    const server = suite();
    const token = await ablyJwt(server.clock.now(), { exp: Math.floor(server.clock.now() / 1000) + 60 });
    expect((await get(token)).status).toBe(200);
    server.clock.advance(61_000);
    expectAblyError(await get(token), 40142, 401);
  });

  test.each<[string, (now: number) => Promise<string>]>([
    ['garbage in three parts', async () => 'abc.def.ghi'],
    ['a wrong signature', async (now) => (await ablyJwt(now)).replace(/.{4}$/, 'AAAA')],
    ['a secret of another key', async (now) => ablyJwt(now, { key: `${keyName(FULL_KEY)}:other-secret-0123456789` })],
    ['no kid', async (now) => ablyJwt(now, { kid: null })],
    ['alg HS512', async (now) => ablyJwt(now, { alg: 'HS512' })],
    ['alg none', async (now) => new UnsecuredJWT({}).setIssuedAt(Math.floor(now / 1000)).setExpirationTime('1h').encode()],
    ['no exp', async (now) => ablyJwt(now, { exp: null })],
    ['no iat', async (now) => ablyJwt(now, { iat: null })],
    ['iat an hour in the future', async (now) => ablyJwt(now, { iat: Math.floor(now / 1000) + 3600, exp: Math.floor(now / 1000) + 7200 })],
    ['a capability claim that is not JSON text', async (now) => ablyJwt(now, { claims: { 'x-ably-capability': { '*': ['*'] } } })],
    ['a capability claim with bad JSON', async (now) => ablyJwt(now, { claims: { 'x-ably-capability': '{"*":' } })],
    ['an empty clientId claim', async (now) => ablyJwt(now, { claims: { 'x-ably-clientId': '' } })],
  ])('a JWT with %s is 40144', async (_label, make) => {
    expectAblyError(await get(await make(suite().clock.now())), 40144, 401);
  });

  test('a kid naming no key of the app is 404/40400, not a token error an SDK would renew', async () => {
    expectAblyError(await get(await ablyJwt(suite().clock.now(), { kid: 'testApp.nobody' })), 40400, 404);
    expectAblyError(await get(await ablyJwt(suite().clock.now(), { kid: 'appThatDoesNotExist.key' })), 40400, 404);
  });

  test('an embedded-token JWT: the Ably token in x-ably-token (payload or header) is what counts', async () => {
    const server = suite();
    const { token } = await getToken(server, FULL_KEY);
    const now = Math.floor(server.clock.now() / 1000);
    const foreignKey = new TextEncoder().encode('a-secret-of-another-system-0123456789');
    const inPayload = await new SignJWT({ 'x-ably-token': token }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now).setExpirationTime(now + 600).sign(foreignKey);
    expect((await get(inPayload)).status).toBe(200);
    const inHeader = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', 'x-ably-token': token }).setIssuedAt(now).setExpirationTime(now + 600).sign(foreignKey);
    expect((await get(inHeader)).status).toBe(200);
    const expiredOuter = await new SignJWT({ 'x-ably-token': token }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now - 120).setExpirationTime(now - 60).sign(foreignKey);
    expectAblyError(await get(expiredOuter), 40142, 401);
    const unknownInner = await new SignJWT({ 'x-ably-token': 'testApp.neverIssued' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now).setExpirationTime(now + 600).sign(foreignKey);
    expectAblyError(await get(unknownInner), 40143, 401);
  });

  test('the x-ably-capability claim limits what the JWT may do', async () => {
    const now = suite().clock.now();
    const token = await ablyJwt(now, { claims: { 'x-ably-capability': '{"allowed:*":["history"]}' } });
    expect((await get(token)).status).toBe(200);
    const published = await suite().call('POST', channel, { json: { data: 'x' }, headers: { authorization: bearer(token) } });
    expectAblyError(published, 40160, 401);
  });

  test('the claim is intersected with the key capability: the limited key cannot widen itself', async () => {
    const now = suite().clock.now();
    const token = await ablyJwt(now, { key: LIMITED_KEY, claims: { 'x-ably-capability': '{"*":["*"]}' } });
    expect((await get(token)).status).toBe(200);
    const other = await suite().call('GET', '/channels/forbidden/messages', { headers: { authorization: bearer(token) } });
    expectAblyError(other, 40160, 401);
  });

  test('a capability claim sharing nothing with the key is 40160', async () => {
    const token = await ablyJwt(suite().clock.now(), { key: LIMITED_KEY, claims: { 'x-ably-capability': '{"secret":["publish"]}' } });
    expectAblyError(await get(token), 40160, 401);
  });

  test('the x-ably-clientId claim binds message clientIds (40012 for another)', async () => {
    const server = suite();
    const token = await ablyJwt(server.clock.now(), { claims: { 'x-ably-clientId': 'carol' } });
    const headers = { authorization: bearer(token) };
    expect((await server.call('POST', channel, { json: { clientId: 'carol' }, headers })).status).toBe(201);
    expectAblyError(await server.call('POST', channel, { json: { clientId: 'dave' }, headers }), 40012, 400);
  });

  test('a JWT of a revoked key is 40131, and a JWT expired or revoked by the test controls is 40142 / 40141', async () => {
    const server = suite();
    const expired = await ablyJwt(server.clock.now(), { claims: { n: 1 } });
    const revoked = await ablyJwt(server.clock.now(), { claims: { n: 2 } });
    await server.call('POST', '/_admin/tokens/expire', { json: { token: expired } });
    await server.call('POST', '/_admin/tokens/revoke', { json: { token: revoked } });
    expectAblyError(await get(expired), 40142, 401);
    expectAblyError(await get(revoked), 40141, 401);
    const other = await ablyJwt(server.clock.now(), { claims: { n: 3 } });
    await server.call('POST', '/_admin/keys/revoke', { json: { keyName: keyName(FULL_KEY) } });
    expectAblyError(await get(other), 40131, 401);
  });
});

describe('Ably JWT lifetime is capped by the maximum ttl', () => {
  test('a JWT valid for ten years is accepted until maxTtlMs after its iat, then answers 40142', async () => {
    const server = suite();
    const now = server.clock.now();
    const jwt = await ablyJwt(now, { exp: Math.floor(now / 1000) + 10 * 365 * 24 * 3600 });
    expect((await get(jwt)).status).toBe(200);
    server.clock.advance(24 * 60 * 60_000 - 1_000);
    expect((await get(jwt)).status).toBe(200);
    server.clock.advance(1_000);
    expectAblyError(await get(jwt), 40142, 401);
  });
});
