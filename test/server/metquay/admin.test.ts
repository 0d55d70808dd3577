import Fastify from 'fastify';
import { metquayPlugin } from '../../../tokensmith-server/src/server/metquay';
import { CLIENT, startTestServer } from './helpers';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const ADMIN = '/api/v1/_admin/metquay';

describe('Metquay test controls (admin: true)', () => {
  it('expires one token: it answers 401 expired while another token still works', async () => {
    const { call, authenticate } = await startTestServer();
    const [doomed, survivor] = [await authenticate(), await authenticate()];
    const marked = await call('POST', `${ADMIN}/tokens/expire`, { json: { accessToken: doomed } });
    expect(marked.json()).toEqual({ affected: 1 });
    const refused = await call('GET', '/api/v1/customers', { headers: bearer(doomed) });
    expect(refused.status).toBe(401);
    expect(refused.json().message).toContain('expired');
    expect((await call('GET', '/api/v1/customers', { headers: bearer(survivor) })).status).toBe(200);
  });

  it('revokes every issued token when no accessToken is given', async () => {
    const { call, authenticate } = await startTestServer();
    const tokens = [await authenticate(), await authenticate()];
    expect((await call('POST', `${ADMIN}/tokens/revoke`, { json: {} })).json()).toEqual({ affected: 2 });
    for (const token of tokens) {
      const response = await call('GET', '/api/v1/customers', { headers: bearer(token) });
      expect(response.status).toBe(401);
      expect(response.json().message).toContain('revoked');
    }
    expect((await call('GET', '/api/v1/customers', { headers: bearer(await authenticate()) })).status).toBe(200);
  });

  it('reports 0 affected for a token it never issued, and 400 for a non-string accessToken', async () => {
    const { call } = await startTestServer();
    expect((await call('POST', `${ADMIN}/tokens/expire`, { json: { accessToken: 'a.b.c' } })).json()).toEqual({ affected: 0 });
    const bad = await call('POST', `${ADMIN}/tokens/expire`, { json: { accessToken: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ code: 400, message: 'accessToken must be a string' });
  });

  it('counts issued tokens, and reset clears the count, marks and rate limits', async () => {
    const { call, authenticate } = await startTestServer({ config: { rateLimitPerMinute: 1, authenticateRateLimitPerMinute: 50 } });
    const token = await authenticate();
    await authenticate();
    expect((await call('GET', '/api/v1/customers', { headers: bearer(token) })).status).toBe(200); // budget of 1 spent
    expect((await call('GET', `${ADMIN}/stats`)).json()).toEqual({ tokensIssued: 2 });
    await call('POST', `${ADMIN}/tokens/expire`, { json: {} });
    expect((await call('GET', '/api/v1/customers', { headers: bearer(token) })).status).toBe(401);
    expect((await call('POST', `${ADMIN}/reset`)).status).toBe(204);
    expect((await call('GET', `${ADMIN}/stats`)).json()).toEqual({ tokensIssued: 0 });
    expect((await call('GET', '/api/v1/customers', { headers: bearer(token) })).status).toBe(200);
  });

  it('are absent (404 in the envelope) unless admin is true', async () => {
    const app = Fastify({ logger: false });
    await app.register(metquayPlugin, { prefix: '/api/v1', config: { clients: [CLIENT] } });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`${url}${ADMIN}/tokens/expire`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ code: 404, message: expect.any(String) });
    } finally {
      await app.close();
    }
  });
});
