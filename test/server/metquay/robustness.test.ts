import fc from 'fast-check';
import { CLIENT, startTestServer } from './helpers';

describe('the Metquay side never answers 5xx to client input', () => {
  it('POST /authenticate with arbitrary JSON bodies: 200, 400 or 401 in the envelope, no secret echoed', async () => {
    const { call } = await startTestServer({ config: { authenticateRateLimitPerMinute: 100_000 } });
    const credentialish = fc.record(
      { accessKey: fc.oneof(fc.string(), fc.jsonValue(), fc.constant(CLIENT.accessKey)), secretKey: fc.oneof(fc.string(), fc.jsonValue()) },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), credentialish), async (body) => {
        const response = await call('POST', '/api/v1/authenticate', { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        expect([200, 400, 401]).toContain(response.status);
        const parsed = response.json();
        if (response.status !== 200) expect(parsed).toEqual({ code: response.status, message: expect.any(String) });
        expect(response.text).not.toContain(CLIENT.secretKey);
      }),
      { numRuns: 100 },
    );
  });

  it('raw bytes with a JSON content type: 4xx in the envelope', async () => {
    const { call } = await startTestServer({ config: { authenticateRateLimitPerMinute: 100_000 } });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
        const response = await call('POST', '/api/v1/authenticate', { body: text, headers: { 'content-type': 'application/json' } });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.json().code).toBe(response.status);
      }),
      { numRuns: 60 },
    );
  });

  it('GET /customers with arbitrary query strings and Authorization headers: 200, 400 or 401', async () => {
    const { call, authenticate } = await startTestServer({ config: { rateLimitPerMinute: 100_000 } });
    const token = await authenticate();
    const header = fc.oneof(fc.constant(`Bearer ${token}`), fc.string().map((s) => `Bearer ${s}`), fc.string());
    const query = fc.dictionary(fc.constantFrom('first', 'limit', 'other'), fc.oneof(fc.string(), fc.integer().map(String)));
    await fc.assert(
      fc.asyncProperty(header, query, async (authorization, params) => {
        const qs = new URLSearchParams(params).toString();
        let headers: Record<string, string> = {};
        try {
          new Headers({ authorization });
          headers = { authorization };
        } catch {
          // not a legal header value; send none
        }
        const response = await call('GET', `/api/v1/customers?${qs}`, { headers });
        expect([200, 400, 401]).toContain(response.status);
      }),
      { numRuns: 150 },
    );
  });
});
