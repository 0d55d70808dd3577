/**
 * A small MessagePack decoder, enough to read Ably's error envelope from a msgpack 401. The
 * default entry only ever decodes, so this keeps a full msgpack library out of the bundle.
 * Supports nil, booleans, integers, floats, strings, binary (as Uint8Array), arrays and maps;
 * extension types and trailing bytes are errors.
 * @see https://github.com/msgpack/msgpack/blob/master/spec.md
 */

const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });
const MAX_DEPTH = 64;

/** Decodes one MessagePack value spanning all of `bytes`; throws on malformed input. */
export function decodeMsgpack(bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  const fail = (what: string): never => {
    throw new Error(`msgpack: ${what}`);
  };
  /** Claims `length` bytes and returns where they start. */
  const take = (length: number): number => {
    if (offset + length > bytes.length) fail('truncated');
    offset += length;
    return offset - length;
  };
  /** A big-endian integer of 1, 2, 4 or 8 bytes; 8 as high word (signed or not) · 2^32 + low word, exact up to 2^53. */
  const int = (size: number, signed = false): number => {
    const at = take(size);
    const high = size > 4 ? 4 : size;
    const read = view[`get${signed ? 'Int' : 'Uint'}${high * 8}` as 'getUint32'](at);
    return size > 4 ? read * 2 ** 32 + view.getUint32(at + 4) : read;
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    const type = int(1);
    if (type < 0x80) return type;
    if (type >= 0xe0) return type - 0x100;
    if (type < 0x90) return map(type & 0x0f, depth);
    if (type < 0xa0) return list(type & 0x0f, depth);
    if (type < 0xc0) return text(type & 0x1f);
    if (type === 0xc0) return null;
    if (type === 0xc2 || type === 0xc3) return type === 0xc3;
    // c4–c6 bin, ca–cb float, cc–cf uint, d0–d3 int, d9–db str, dc–dd array, de–df map (8/16/32-bit lengths).
    if (type >= 0xc4 && type <= 0xc6) {
      const length = int(1 << (type - 0xc4));
      return bytes.slice(take(length), offset);
    }
    if (type === 0xca) return view.getFloat32(take(4));
    if (type === 0xcb) return view.getFloat64(take(8));
    if (type >= 0xcc && type <= 0xd3) return int(1 << (type & 3), type >= 0xd0);
    if (type >= 0xd9 && type <= 0xdb) return text(int(1 << (type - 0xd9)));
    if (type >= 0xdc) return (type < 0xde ? list : map)(int(2 << (type & 1)), depth);
    return fail(`unsupported type 0x${type.toString(16)}`);
  };
  const text = (length: number): string => utf8.decode(bytes.subarray(take(length), offset));
  const list = (length: number, depth: number): unknown[] => {
    // Each element takes at least a byte: a claimed length beyond the input is malformed.
    if (offset + length > bytes.length) fail('truncated');
    const items: unknown[] = [];
    for (let i = 0; i < length; i++) items.push(value(depth + 1));
    return items;
  };
  const map = (length: number, depth: number): Record<string, unknown> => {
    if (offset + length * 2 > bytes.length) fail('truncated');
    const result: Record<string, unknown> = Object.create(null);
    for (let i = 0; i < length; i++) {
      const key = value(depth + 1);
      if (typeof key !== 'string' && typeof key !== 'number') fail('map key is not a string or number');
      result[String(key)] = value(depth + 1);
    }
    return result;
  };
  const decoded = value(0);
  if (offset !== bytes.length) fail('trailing bytes');
  return decoded;
}
