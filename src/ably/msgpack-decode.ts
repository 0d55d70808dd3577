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
  const reader = new Reader(bytes);
  const value = reader.value(0);
  if (reader.offset !== bytes.length) throw new Error('msgpack: trailing bytes');
  return value;
}

class Reader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new Error('msgpack: nested too deeply');
    const type = this.u8();
    if (type <= 0x7f) return type;
    if (type >= 0xe0) return type - 0x100;
    if (type >= 0xa0 && type <= 0xbf) return this.str(type & 0x1f);
    if (type >= 0x90 && type <= 0x9f) return this.array(type & 0x0f, depth);
    if (type >= 0x80 && type <= 0x8f) return this.map(type & 0x0f, depth);
    switch (type) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.bin(this.u8());
      case 0xc5: return this.bin(this.number(2, 'u'));
      case 0xc6: return this.bin(this.number(4, 'u'));
      case 0xca: return this.float(4);
      case 0xcb: return this.float(8);
      case 0xcc: return this.u8();
      case 0xcd: return this.number(2, 'u');
      case 0xce: return this.number(4, 'u');
      case 0xcf: return this.number(8, 'u');
      case 0xd0: return this.number(1, 'i');
      case 0xd1: return this.number(2, 'i');
      case 0xd2: return this.number(4, 'i');
      case 0xd3: return this.number(8, 'i');
      case 0xd9: return this.str(this.u8());
      case 0xda: return this.str(this.number(2, 'u'));
      case 0xdb: return this.str(this.number(4, 'u'));
      case 0xdc: return this.array(this.number(2, 'u'), depth);
      case 0xdd: return this.array(this.number(4, 'u'), depth);
      case 0xde: return this.map(this.number(2, 'u'), depth);
      case 0xdf: return this.map(this.number(4, 'u'), depth);
      default: throw new Error(`msgpack: unsupported type 0x${type.toString(16)}`);
    }
  }

  private need(length: number): void {
    if (this.offset + length > this.bytes.length) throw new Error('msgpack: truncated');
  }

  private u8(): number {
    this.need(1);
    return this.bytes[this.offset++] as number;
  }

  private number(size: 1 | 2 | 4 | 8, sign: 'u' | 'i'): number {
    this.need(size);
    const at = this.offset;
    this.offset += size;
    const view = this.view;
    if (size === 1) return view.getInt8(at);
    if (size === 2) return sign === 'u' ? view.getUint16(at) : view.getInt16(at);
    if (size === 4) return sign === 'u' ? view.getUint32(at) : view.getInt32(at);
    return Number(sign === 'u' ? view.getBigUint64(at) : view.getBigInt64(at));
  }

  private float(size: 4 | 8): number {
    this.need(size);
    const at = this.offset;
    this.offset += size;
    return size === 4 ? this.view.getFloat32(at) : this.view.getFloat64(at);
  }

  private str(length: number): string {
    this.need(length);
    const text = utf8.decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }

  private bin(length: number): Uint8Array {
    this.need(length);
    const data = this.bytes.slice(this.offset, this.offset + length);
    this.offset += length;
    return data;
  }

  private array(length: number, depth: number): unknown[] {
    // Each element takes at least a byte: a claimed length beyond the input is malformed.
    this.need(length);
    const items: unknown[] = [];
    for (let i = 0; i < length; i++) items.push(this.value(depth + 1));
    return items;
  }

  private map(length: number, depth: number): Record<string, unknown> {
    this.need(length * 2);
    const result: Record<string, unknown> = Object.create(null);
    for (let i = 0; i < length; i++) {
      const key = this.value(depth + 1);
      if (typeof key !== 'string' && typeof key !== 'number') throw new Error('msgpack: map key is not a string or number');
      result[String(key)] = this.value(depth + 1);
    }
    return result;
  }
}
