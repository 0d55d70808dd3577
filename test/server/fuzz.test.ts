import fc from 'fast-check';
import { encode } from '@msgpack/msgpack';
import { FULL_KEY, basic, bearer, keyName, signTokenRequest, toBody, useSuiteServer } from './helpers';

// Property: nothing a client sends makes the server answer 5xx (or crash). The test controls are
// off here: their fault injection answers 5xx on purpose.
const suite = useSuiteServer({ admin: false });

const printable = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
const routes = fc.constantFrom(
  ['GET', '/time'],
  ['POST', `/keys/${keyName(FULL_KEY)}/requestToken`],
  ['POST', '/keys/nobody.key/requestToken'],
  ['GET', '/channels/chat/messages'],
  ['POST', '/channels/chat/messages'],
  ['POST', '/api/v1/authenticate'],
  ['GET', '/api/v1/customers'],
  ['DELETE', '/channels/chat/messages'],
);
const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constant(basic(FULL_KEY)),
  printable.map((text) => `Bearer ${text}`),
  printable.map((text) => bearer(text)),
  printable.map((text) => `Basic ${Buffer.from(text).toString('base64')}`),
  printable,
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }).map((value) => ({ type: 'application/json', data: JSON.stringify(value) as string | Buffer })),
  fc.string().map((text) => ({ type: 'application/json', data: text as string | Buffer })),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ type: 'application/x-msgpack', data: Buffer.from(bytes) as string | Buffer })),
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ type: 'application/x-msgpack', data: Buffer.from(encode(value)) as string | Buffer })),
  fc.record({
    ttl: fc.oneof(fc.integer(), fc.double(), fc.string()),
    capability: fc.oneof(fc.string(), fc.constant('{"*":["*"]}'), fc.constant('{"a":"b"}')),
    clientId: fc.oneof(fc.string(), fc.constant('*')),
  }, { requiredKeys: [] }).map((fields) => ({ type: 'application/json', data: JSON.stringify(fields) as string | Buffer })),
  printable.map((text) => ({ type: text, data: text as string | Buffer })),
);
const query = fc.oneof(fc.constant(''), fc.dictionary(fc.constantFrom('format', 'limit', 'direction', 'start', 'end', 'first'), printable).map(
  (params) => `?${new URLSearchParams(params).toString()}`,
));

describe('robustness', () => {
  test('no client input produces a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(routes, authorization, body, query, async ([method, path], auth, payload, search) => {
        const headers: Record<string, string> = {};
        if (auth !== undefined) headers.authorization = auth;
        if (payload !== undefined) headers['content-type'] = payload.type;
        const response = await fetch(`${suite().url}${path}${search}`, {
          method,
          headers,
          ...(payload === undefined || method === 'GET' ? {} : { body: toBody(payload.data) }),
        });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  test('signed TokenRequests with arbitrary field values never produce a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ ttl: fc.option(fc.integer({ min: 1 }), { nil: undefined }), capability: fc.option(fc.string(), { nil: undefined }), clientId: fc.option(fc.string(), { nil: undefined }) }),
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        async (fields, skew) => {
          const request = signTokenRequest(FULL_KEY, { ...fields, timestamp: suite().clock.now() + skew });
          const response = await suite().call('POST', `/keys/${keyName(FULL_KEY)}/requestToken`, { json: request });
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });
});
