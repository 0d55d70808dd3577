import { SignJWT } from 'jose';
import { CLIENT, OTHER_CLIENT, startTestServer } from './helpers';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const customerId = (n: number) => `cus_${String(n).padStart(6, '0')}`;

describe('GET /api/v1/customers', () => {
  it('serves the first page of 50 by default to a valid bearer token', async () => {
    const { call, authenticate } = await startTestServer();
    const response = await call('GET', '/api/v1/customers', { headers: bearer(await authenticate()) });
    expect(response.status).toBe(200);
    const page = response.json<Array<{ id: string }>>();
    expect(page.map((c) => c.id)).toEqual(Array.from({ length: 50 }, (_, i) => customerId(i + 1)));
  });

  it.each([
    [0, 10, 1, 10],
    [115, 10, 116, 5],
    [120, 10, 0, 0],
    [500, 50, 0, 0],
  ])('pages with first=%i limit=%i (first id %i, %i records)', async (first, limit, firstId, count) => {
    const { call, authenticate } = await startTestServer();
    const response = await call('GET', `/api/v1/customers?first=${first}&limit=${limit}`, { headers: bearer(await authenticate()) });
    expect(response.status).toBe(200);
    const page = response.json<Array<{ id: string }>>();
    expect(page).toHaveLength(count);
    if (count > 0) expect(page[0]?.id).toBe(customerId(firstId));
  });

  it('serves the same records on every server (deterministic data)', async () => {
    const one = await startTestServer();
    const two = await startTestServer();
    const a = await one.call('GET', '/api/v1/customers?first=7&limit=3', { headers: bearer(await one.authenticate()) });
    const b = await two.call('GET', '/api/v1/customers?first=7&limit=3', { headers: bearer(await two.authenticate()) });
    expect(a.json()).toEqual(b.json());
    expect(a.json()[0]).toEqual({ id: 'cus_000008', name: expect.any(String), email: expect.stringContaining('@'), createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
  });

  it.each([
    ['first=-1', 'first'],
    ['first=abc', 'first'],
    ['limit=0', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=100000', 'limit'],
  ])('answers 400 naming the parameter for %s', async (query, name) => {
    const { call, authenticate } = await startTestServer();
    const response = await call('GET', `/api/v1/customers?${query}`, { headers: bearer(await authenticate()) });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({ code: 400, message: expect.stringContaining(name) });
  });

  it.each([
    ['no Authorization header', undefined, 'missing'],
    ['a Basic header', 'Basic dXNlcjpwYXNz', 'missing'],
    ['a token that is not a JWT', 'Bearer not-a-jwt', 'malformed'],
    ['a JWT signed with another secret', 'forged', 'invalid'],
  ])('answers 401 in the envelope for %s', async (_case, header, word) => {
    const { call, clock } = await startTestServer();
    let authorization = header;
    if (header === 'forged') {
      const now = Math.floor(clock.now() / 1000);
      const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(CLIENT.accessKey)
        .setIssuedAt(now).setExpirationTime(now + 900).setJti('x').sign(new TextEncoder().encode('some-other-secret-entirely'));
      authorization = `Bearer ${forged}`;
    }
    const response = await call('GET', '/api/v1/customers', { headers: authorization ? { authorization } : {} });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(response.json()).toEqual({ code: 401, message: expect.stringContaining(word) });
  });

  it('accepts a token until its exp on the server clock, then answers 401 expired', async () => {
    const { call, authenticate, clock } = await startTestServer();
    const token = await authenticate();
    clock.advance(899_000);
    expect((await call('GET', '/api/v1/customers?limit=1', { headers: bearer(token) })).status).toBe(200);
    clock.advance(1_000);
    const response = await call('GET', '/api/v1/customers?limit=1', { headers: bearer(token) });
    expect(response.status).toBe(401);
    expect(response.json().message).toContain('expired');
  });

  it('rate limits each client separately with 429 and Retry-After; a new token does not reset the budget', async () => {
    const { call, authenticate, clock } = await startTestServer({ config: { rateLimitPerMinute: 2, authenticateRateLimitPerMinute: 100 } });
    clock.ms = Date.UTC(2025, 0, 1, 12, 0, 45);
    const token = await authenticate();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/api/v1/customers?limit=1', { headers: bearer(token) })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const fresh = await call('GET', '/api/v1/customers?limit=1', { headers: bearer(await authenticate()) });
    expect(fresh.status).toBe(429);
    expect(fresh.headers.get('retry-after')).toBe('15');
    expect(fresh.json()).toEqual({ code: 429, message: expect.stringContaining('2 requests per minute') });
    const other = await call('GET', '/api/v1/customers?limit=1', { headers: bearer(await authenticate(OTHER_CLIENT)) });
    expect(other.status).toBe(200);
    clock.advance(15_000);
    expect((await call('GET', '/api/v1/customers?limit=1', { headers: bearer(token) })).status).toBe(200);
  });

  it('checks the token before the query, so an anonymous caller learns nothing from 400s', async () => {
    const { call } = await startTestServer();
    expect((await call('GET', '/api/v1/customers?limit=-5')).status).toBe(401);
  });
});
