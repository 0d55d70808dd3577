import { Buffer } from 'node:buffer';
import Ajv from 'ajv';
import fc from 'fast-check';
import { ablyOperationSchemas } from 'tokensmith/schemas';
import { plainTokenRequest } from '../../tokensmith-server/src/server/ably/token-fast-lane';

// The fast lane answers a body only when plainTokenRequest vouches for it, so it must never vouch
// for a body the route's schema refuses (that body's 400 would turn into a token). The schema is
// compiled here as Fastify compiles it in start.ts: its compiler's defaults, with coerceTypes and
// removeAdditional off.
const routeBodySchema = ablyOperationSchemas['POST /keys/{keyName}/requestToken'].body;
const validateBody = new Ajv({ coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false }).compile(routeBodySchema);

const FIELDS = ['ttl', 'capability', 'clientId', 'timestamp', 'nonce', 'keyName', 'mac'] as const;

// Strings near the nonce's 16-code-point bound, built from characters of one and two UTF-16 units.
const mixedWidth = fc.array(fc.constantFrom('a', 'é', '😀', '𝒳', '\u0000', '"', '\\'), { minLength: 0, maxLength: 24 }).map((parts) => parts.join(''));

const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.5, -0, 1.0000001, 2 ** 53, -1),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', minLength: 14, maxLength: 34 }),
  fc.string({ unit: 'grapheme', minLength: 0, maxLength: 20 }),
  mixedWidth,
  fc.constant(''),
  fc.constant(null),
  fc.boolean(),
);
const fieldValue = fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) });

const tokenBodies = fc.record(Object.fromEntries(FIELDS.map((field) => [field, fieldValue])) as Record<(typeof FIELDS)[number], typeof fieldValue>, {
  requiredKeys: [],
});

// Number spellings JSON.stringify never writes, but a client may: the lane parses, so it must judge the value, not the text.
const numberText = fc.constantFrom('1.0', '1e3', '1E+3', '-0', '0.0', '1e400', '-1e400', '16.5', '1e-7', '00', '9007199254740993', '60000.0');
const rawBodies = fc
  .array(fc.tuple(fc.constantFrom(...FIELDS), fc.oneof(numberText, fieldValue.map((value) => JSON.stringify(value)))), { maxLength: 8 })
  .map((entries) => `{${entries.map(([field, text]) => `${JSON.stringify(field)}:${text}`).join(',')}}`);

function vouchedOnlyIfValid(text: string): void {
  const vouched = plainTokenRequest(Buffer.from(text, 'utf8'));
  if (vouched === undefined) return;
  const parsed: unknown = JSON.parse(text);
  expect(validateBody(parsed)).toBe(true);
  expect(vouched).toEqual(parsed);
}

describe('plainTokenRequest never vouches for a body the route schema refuses', () => {
  test('generated TokenParams and TokenRequest bodies', () => {
    fc.assert(
      fc.property(tokenBodies, (body) => vouchedOnlyIfValid(JSON.stringify(body))),
      { numRuns: 20_000 },
    );
  });

  test('bodies with number spellings JSON.stringify never writes', () => {
    fc.assert(fc.property(rawBodies, vouchedOnlyIfValid), { numRuns: 10_000 });
  });
});

describe('plainTokenRequest examples', () => {
  const base = { keyName: 'app.key', timestamp: 1_700_000_000_000, nonce: 'nonce-0123456789abcdef', mac: 'bWFj' };

  test.each([
    ['a signed TokenRequest', JSON.stringify(base)],
    ['TokenParams with ttl, capability and clientId', JSON.stringify({ ttl: 60_000, capability: '{"*":["*"]}', clientId: 'alice' })],
    ['an empty object', '{}'],
    ['a nonce of 16 code points, 8 of them surrogate pairs', JSON.stringify({ ...base, nonce: `${'😀'.repeat(8)}abcdefgh` })],
    ['a ttl written 1e3', '{"ttl":1e3}'],
  ])('vouches for %s', (_label, text) => {
    expect(plainTokenRequest(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  test.each([
    ['a ttl of 0', JSON.stringify({ ...base, ttl: 0 })],
    ['a ttl of 1.5', JSON.stringify({ ...base, ttl: 1.5 })],
    ['a ttl as a string', JSON.stringify({ ...base, ttl: '60000' })],
    ['a negative timestamp', JSON.stringify({ ...base, timestamp: -1 })],
    ['an empty clientId', JSON.stringify({ ...base, clientId: '' })],
    ['a capability object', JSON.stringify({ ...base, capability: {} })],
    ['a nonce of 16 UTF-16 units but 8 code points', JSON.stringify({ ...base, nonce: '😀'.repeat(8) })],
    ['a nonce of 15 characters', JSON.stringify({ ...base, nonce: 'n'.repeat(15) })],
    ['a "__proto__" key', `{"__proto__":{},${JSON.stringify(base).slice(1)}`],
    ['a "constructor" key', `{"constructor":{"prototype":{}},${JSON.stringify(base).slice(1)}`],
    ['a \\u escape (which could spell either)', `{"\\u005f_proto__":{},${JSON.stringify(base).slice(1)}`],
    ['an array', '[]'],
    ['null', 'null'],
    ['text that is not JSON', '{"ttl":'],
    ['a byte-order mark before the JSON', `\uFEFF${JSON.stringify(base)}`],
  ])('leaves %s to Fastify', (_label, text) => {
    expect(plainTokenRequest(Buffer.from(text))).toBeUndefined();
  });
});
