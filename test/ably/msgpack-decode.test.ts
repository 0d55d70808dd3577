import { encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { decodeMsgpack } from '../../src/ably/msgpack-decode';

describe('decodeMsgpack', () => {
  it('decodes whatever @msgpack/msgpack encodes from JSON-like values (property)', () => {
    const value = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(value, (v) => {
        expect(decodeMsgpack(encode(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['int boundaries', [0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53) + 1]],
    ['floats', [0.5, -1.25, 1e300, Number.MIN_VALUE]],
    ['strings of every length class', ['', 'a'.repeat(31), 'b'.repeat(32), 'c'.repeat(255), 'd'.repeat(256), 'e'.repeat(65536), 'ü✓😀']],
    ['big collections', [Array.from({ length: 70_000 }, (_, i) => i % 3), Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, i]))]],
  ])('%s', (_name, values) => {
    expect(decodeMsgpack(encode(values))).toEqual(values);
  });

  it('decodes binary as bytes and the Ably error envelope', () => {
    expect(decodeMsgpack(encode(new Uint8Array([1, 2, 3])))).toEqual(new Uint8Array([1, 2, 3]));
    expect(decodeMsgpack(encode({ error: { code: 40142, statusCode: 401, message: 'Token expired' } }))).toEqual({
      error: { code: 40142, statusCode: 401, message: 'Token expired' },
    });
  });

  it.each([
    ['empty input', new Uint8Array([])],
    ['truncated string', new Uint8Array([0xa5, 0x61])],
    ['trailing bytes', new Uint8Array([0x01, 0x02])],
    ['array claiming more items than bytes', new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff])],
    ['an extension type', new Uint8Array([0xd4, 0x01, 0x00])],
    ['invalid UTF-8', new Uint8Array([0xa1, 0xff])],
    ['a map with a non-string key', new Uint8Array([0x81, 0xc0, 0x01])],
    ['nesting past the limit', new Uint8Array(Array.from({ length: 100 }, () => 0x91).concat([0x01]))],
  ])('refuses %s', (_name, bytes) => {
    expect(() => decodeMsgpack(bytes)).toThrow(/msgpack|encoded data/);
  });
});
