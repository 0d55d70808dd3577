import { Buffer } from 'node:buffer';
import { decode, encode, ExtData, type EncoderOptions } from '@msgpack/msgpack';
import Ajv from 'ajv';
import fc from 'fast-check';
import { ablyOperationSchemas } from 'tokensmith/schemas';
import { plainTokenRequest, vouchedTokenRequest } from '../../tokensmith-server/src/server/ably/token-fast-lane';

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

// Msgpack bodies: what the route's parser decodes (the same decoder) must pass the schema whenever
// the lane vouches for it. Beyond JSON's values: bytes, dates and other extension types, NaN and
// infinities, 64-bit integers, floats for integers, maps with keys of any type, repeated keys,
// `__proto__` keys, bytes after the value.
const msgpackOnly = fc.oneof(
  fc.uint8Array({ maxLength: 20 }),
  fc.constantFrom(new Date(0), new Date(1_700_000_000_000), new ExtData(5, Uint8Array.of(1)), new ExtData(-1, Uint8Array.of(0, 0, 0, 1))),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.dictionary(fc.string({ maxLength: 4 }), scalar, { maxKeys: 3 }),
);
const msgpackField = fc.oneof({ weight: 4, arbitrary: fieldValue }, { weight: 1, arbitrary: msgpackOnly });
const msgpackKey = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FIELDS) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', '1', 'toString') },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -2, max: 2 }), fc.double(), fc.constant(null), fc.boolean(), fc.uint8Array({ maxLength: 3 })) },
);
const encoderOptions = fc.record({
  forceIntegerToFloat: fc.boolean(),
  forceFloat32: fc.boolean(),
  useBigInt64: fc.constant(true),
}) as fc.Arbitrary<EncoderOptions>;

// A map written pair by pair (so keys may repeat or be of any type), then `tail` bytes.
function msgpackMapBytes(entries: ReadonlyArray<readonly [unknown, unknown]>, options: EncoderOptions, tail: Uint8Array): Buffer {
  const head = Buffer.from([0xde, entries.length >> 8, entries.length & 0xff]);
  return Buffer.concat([head, ...entries.flatMap(([key, value]) => [encode(key, options), encode(value, options)]), tail]);
}

function msgpackVouchedOnlyIfValid(bytes: Uint8Array): void {
  const vouched = plainTokenRequest(Buffer.from(bytes), 'msgpack');
  if (vouched === undefined) return;
  const decoded = decode(bytes);
  expect(validateBody(decoded)).toBe(true);
  expect(vouched).toEqual(decoded);
}

describe('plainTokenRequest never vouches for a msgpack body the route schema refuses', () => {
  test('generated bodies, encoded with integers as floats, float32s and 64-bit integers', () => {
    fc.assert(
      fc.property(tokenBodies, encoderOptions, (body, options) => msgpackVouchedOnlyIfValid(encode(body, options))),
      { numRuns: 10_000 },
    );
  });

  test('maps with values JSON cannot carry, keys of any type, repeated keys and bytes after them', () => {
    const tail = fc.oneof({ weight: 4, arbitrary: fc.constant(new Uint8Array(0)) }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(fc.tuple(msgpackKey, msgpackField), { maxLength: 8 }), encoderOptions, tail, (entries, options, rest) =>
        msgpackVouchedOnlyIfValid(msgpackMapBytes(entries, options, rest)),
      ),
      { numRuns: 10_000 },
    );
  });

  test('arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), msgpackVouchedOnlyIfValid), { numRuns: 10_000 });
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

  test('vouches for a signed TokenRequest in msgpack, integers written as floats too', () => {
    expect(plainTokenRequest(Buffer.from(encode(base)), 'msgpack')).toEqual(base);
    expect(plainTokenRequest(Buffer.from(encode({ ...base, ttl: 60_000 }, { forceIntegerToFloat: true })), 'msgpack')).toEqual({ ...base, ttl: 60_000 });
  });

  test.each([
    ['a nonce as bytes', encode({ ...base, nonce: Buffer.from(base.nonce) })],
    ['an extra field of bytes', encode({ ...base, extra: Uint8Array.of(1) })],
    ['an extra Date', encode({ ...base, extra: new Date(0) })],
    ['an extra ext value', encode({ ...base, extra: new ExtData(5, Uint8Array.of(1)) })],
    ['an extra map', encode({ ...base, extra: {} })],
    ['an extra NaN', encode({ ...base, extra: Number.NaN })],
    ['a "__proto__" key', msgpackMapBytes([['__proto__', {}], ...Object.entries(base)], {}, new Uint8Array(0))],
    ['a nil key', msgpackMapBytes([[null, 1], ...Object.entries(base)], {}, new Uint8Array(0))],
    ['a byte after the map', msgpackMapBytes(Object.entries(base), {}, Uint8Array.of(0))],
    ['a Date as the body', encode(new Date(0))],
    ['bytes as the body', encode(Uint8Array.of(0x80))],
    ['an array', encode([])],
    ['undecodable bytes', Uint8Array.of(0xc1)],
  ])('leaves msgpack with %s to Fastify', (_label, bytes) => {
    expect(plainTokenRequest(Buffer.from(bytes), 'msgpack')).toBeUndefined();
  });

  test('vouchedTokenRequest refuses objects that are not plain', () => {
    expect(vouchedTokenRequest(Object.create(null))).toBeUndefined();
    expect(vouchedTokenRequest(new Date(0))).toBeUndefined();
    expect(vouchedTokenRequest(JSON.parse('{"__proto__":{}}'))).toBeUndefined();
    expect(vouchedTokenRequest({ ttl: 1 })).toEqual({ ttl: 1 });
  });
});
