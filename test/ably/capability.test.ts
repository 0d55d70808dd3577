import fc from 'fast-check';
import { canonicalCapability, parseCapability } from '../../src/ably/capability';
import { TokensmithError } from '../../src/core/errors';

function codeOf(run: () => unknown): number | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof TokensmithError ? error.code : -1;
  }
  return undefined;
}

describe('parseCapability', () => {
  it('accepts an object and JSON text alike', () => {
    const object = { 'chat:*': ['subscribe', 'publish'] };
    expect(parseCapability(object)).toEqual(object);
    expect(parseCapability(JSON.stringify(object))).toEqual(object);
  });

  it('never mutates its input', () => {
    const ops = ['subscribe', 'publish'];
    parseCapability({ a: ops });
    canonicalCapability({ a: ops });
    expect(ops).toEqual(['subscribe', 'publish']);
  });

  it.each([
    ['invalid JSON', '{"a":', /not valid JSON/],
    ['a JSON array', '[["publish"]]', /must be an object/],
    ['JSON null', 'null', /must be an object/],
    ['a JSON string', '"publish"', /must be an object/],
    ['operations not an array', '{"a":"publish"}', /resource "a" must be an array/],
    ['an empty operation list', '{"a":[]}', /resource "a" has no operations/],
    ['a non-string operation', '{"a":[1]}', /resource "a" has an operation/],
    ['an empty operation', '{"a":[""]}', /resource "a" has an operation/],
    ['an empty resource name', '{"":["*"]}', /empty resource name/],
  ])('rejects %s with 40003 naming the problem', (_name, input, message) => {
    expect(codeOf(() => parseCapability(input))).toBe(40003);
    expect(() => parseCapability(input)).toThrow(message);
  });

  it('shortens a long resource name in the message', () => {
    const name = 'x'.repeat(500);
    expect(() => parseCapability({ [name]: [] })).toThrow(/x{64}…"/);
  });
});

describe('canonicalCapability', () => {
  it('sorts resources and operations, removes duplicates, and has no whitespace', () => {
    expect(canonicalCapability({ 'b': ['subscribe', 'publish', 'subscribe'], 'a:*': ['*'] })).toBe(
      '{"a:*":["*"],"b":["publish","subscribe"]}',
    );
    expect(canonicalCapability(' { "z" : [ "history" ] , "a" : [ "publish" ] } ')).toBe('{"a":["publish"],"z":["history"]}');
  });

  it('keeps a resource named __proto__ as an ordinary resource', () => {
    expect(canonicalCapability('{"__proto__":["publish"],"a":["*"]}')).toBe('{"__proto__":["publish"],"a":["*"]}');
  });

  it.each([
    ['already canonical', { a: ['publish'], b: ['*'] }, '{"a":["publish"],"b":["*"]}'],
    ['sorted resources, one operation list unsorted', { a: ['subscribe', 'publish'], b: ['*'] }, '{"a":["publish","subscribe"],"b":["*"]}'],
    ['sorted resources, a duplicate operation', { a: ['publish', 'publish'] }, '{"a":["publish"]}'],
    ['index-like names in numeric, not text, order', { 9: ['*'], 10: ['*'] }, '{"9":["*"],"10":["*"]}'],
    ['a null-prototype object', Object.assign(Object.create(null), { a: ['*'] }), '{"a":["*"]}'],
    ['an object whose prototype has toJSON', Object.assign(Object.create({ toJSON: () => ({ z: ['*'] }) }), { a: ['*'] }), '{"a":["*"]}'],
  ])('gives the canonical text for %s input (the sorted-input fast path agrees with sorting)', (_name, input, expected) => {
    expect(canonicalCapability(input as Record<string, string[]>)).toBe(expected);
  });

  it('is idempotent and independent of key and operation order (property)', () => {
    const capability = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.array(fc.constantFrom('publish', 'subscribe', 'presence', 'history', 'stats', '*'), { minLength: 1, maxLength: 6 }),
      { minKeys: 1, maxKeys: 6 },
    );
    fc.assert(
      fc.property(capability, (cap) => {
        const canonical = canonicalCapability(cap);
        expect(canonicalCapability(canonical)).toBe(canonical);
        const reversed = Object.fromEntries(Object.entries(cap).reverse().map(([k, v]) => [k, [...v].reverse()]));
        expect(canonicalCapability(reversed)).toBe(canonical);
        const parsed = JSON.parse(canonical) as Record<string, string[]>;
        for (const ops of Object.values(parsed)) expect(ops).toEqual([...new Set(ops)].sort());
      }),
    );
  });
});
