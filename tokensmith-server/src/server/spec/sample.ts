import type { OpenApiDocument } from '../../generate/document';
import { resolveRef } from '../../generate/refs';
import type { Json } from './json-schema';

/** A schema the generator cannot produce a value for (a `not`, a `pattern` it cannot meet, …). */
export class CannotGenerate extends Error {}

/** Deepest nesting generated; below it optional properties are left out and arrays are empty. */
const MAX_DEPTH = 8;
/** Most properties generated for one object. */
const MAX_PROPERTIES = 40;
const BASE_TIME = Date.UTC(2025, 0, 1);

/** A small seeded PRNG (mulberry32): the same seed gives the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A 32-bit hash of a string (FNV-1a), to derive a per-operation seed. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

type Schema = Record<string, unknown>;

/**
 * A value that fits `schema`, deterministic for `random`'s seed: `const`, `example`, `default` or
 * the first `enum` value when the schema gives one; otherwise by type and format within the
 * schema's bounds. `allOf` is merged, `oneOf`/`anyOf` take their first branch, recursion stops at
 * a bounded depth. `writeOnly` properties are left out (this is response data).
 *
 * @throws {CannotGenerate} for a schema no value can be made for.
 */
export function sampleOf(doc: OpenApiDocument, schema: unknown, random: () => number, depth = 0): Json {
  const resolved = resolveRef(doc, schema);
  if (resolved === true || resolved === undefined) return null;
  if (resolved === false) throw new CannotGenerate('a schema that allows nothing');
  if (typeof resolved !== 'object' || resolved === null) return null;
  const s = resolved as Schema;
  if ('const' in s) return s.const as Json;
  if (s.example !== undefined) return s.example as Json;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0] as Json;
  if (s.default !== undefined) return s.default as Json;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0] as Json;
  if (Array.isArray(s.allOf)) return sampleOf(doc, mergeAll(doc, s), random, depth);
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = s[keyword];
    if (Array.isArray(branches) && branches.length > 0) {
      const { [keyword]: _dropped, ...rest } = s;
      return sampleOf(doc, mergeAll(doc, { ...rest, allOf: [branches[0]] }), random, depth);
    }
  }
  if (s.not !== undefined) throw new CannotGenerate('a "not" schema');
  switch (typeOf(s)) {
    case 'object':
      return objectOf(doc, s, random, depth);
    case 'array':
      return arrayOf(doc, s, random, depth);
    case 'integer':
      return numberOf(s, random, true);
    case 'number':
      return numberOf(s, random, false);
    case 'boolean':
      return random() < 0.5;
    case 'null':
      return null;
    default:
      return stringOf(s, random);
  }
}

function typeOf(s: Schema): string {
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'null') : s.type;
  if (typeof type === 'string') return type;
  if (s.properties !== undefined || s.additionalProperties !== undefined) return 'object';
  if (s.items !== undefined) return 'array';
  if (s.minimum !== undefined || s.maximum !== undefined) return 'number';
  return 'string';
}

/** `allOf` folded into one schema: properties and `required` united, other keywords the last wins. */
function mergeAll(doc: OpenApiDocument, s: Schema, depth = 0): Schema {
  if (depth > MAX_DEPTH) return {};
  const { allOf, ...rest } = s;
  let merged: Schema = { ...rest };
  for (const part of (allOf as unknown[] | undefined) ?? []) {
    let sub = resolveRef(doc, part) as Schema;
    if (!sub || typeof sub !== 'object') continue;
    if (Array.isArray(sub.allOf)) sub = mergeAll(doc, sub, depth + 1);
    merged = {
      ...sub,
      ...merged,
      properties: { ...(sub.properties as object | undefined), ...(merged.properties as object | undefined) },
      required: [...((sub.required as string[] | undefined) ?? []), ...((merged.required as string[] | undefined) ?? [])],
    };
  }
  if (Object.keys(merged.properties as object).length === 0 && s.properties === undefined) delete merged.properties;
  return merged;
}

function objectOf(doc: OpenApiDocument, s: Schema, random: () => number, depth: number): Json {
  const result: Record<string, Json> = {};
  const required = new Set((s.required as string[] | undefined) ?? []);
  const properties = Object.entries((s.properties as Record<string, unknown> | undefined) ?? {}).slice(0, MAX_PROPERTIES);
  for (const [name, sub] of properties) {
    const resolved = resolveRef(doc, sub) as Schema | undefined;
    if (resolved?.writeOnly === true && !required.has(name)) continue;
    if (depth >= MAX_DEPTH && !required.has(name)) continue;
    result[name] = sampleOf(doc, sub, random, depth + 1);
  }
  return result;
}

function arrayOf(doc: OpenApiDocument, s: Schema, random: () => number, depth: number): Json {
  const min = typeof s.minItems === 'number' ? s.minItems : 0;
  const max = typeof s.maxItems === 'number' ? s.maxItems : min + 2;
  const count = depth >= MAX_DEPTH ? min : Math.min(max, Math.max(min, 1 + Math.floor(random() * 2)));
  if (count > 1000) throw new CannotGenerate('an array of more than 1000 items');
  return Array.from({ length: count }, () => sampleOf(doc, s.items ?? {}, random, depth + 1));
}

function numberOf(s: Schema, random: () => number, integer: boolean): number {
  let min = typeof s.minimum === 'number' ? s.minimum : 0;
  let max = typeof s.maximum === 'number' ? s.maximum : Math.max(min, 0) + 1000;
  const step = integer ? 1 : 0.01;
  if (typeof s.exclusiveMinimum === 'number') min = s.exclusiveMinimum + step;
  else if (s.exclusiveMinimum === true) min += step;
  if (typeof s.exclusiveMaximum === 'number') max = s.exclusiveMaximum - step;
  else if (s.exclusiveMaximum === true) max -= step;
  if (max < min) throw new CannotGenerate('a number range with nothing in it');
  const multiple = typeof s.multipleOf === 'number' && s.multipleOf > 0 ? s.multipleOf : integer ? 1 : 0;
  let value = min + random() * (max - min);
  if (multiple > 0) {
    value = Math.ceil(min / multiple) * multiple + Math.floor(random() * Math.max(1, Math.floor((max - min) / multiple))) * multiple;
    if (value > max) throw new CannotGenerate('a multipleOf with no multiple in range');
  } else if (!integer) value = Math.round(value * 100) / 100;
  return integer ? Math.round(value) : value;
}

function stringOf(s: Schema, random: () => number): string {
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  const maxLength = typeof s.maxLength === 'number' ? s.maxLength : Number.POSITIVE_INFINITY;
  let value = formatted(s.format, random);
  if (value.length < minLength) value = value.padEnd(minLength, 'x');
  if (value.length > maxLength) value = value.slice(0, maxLength);
  if (typeof s.pattern === 'string') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(s.pattern, 'u');
    } catch {
      throw new CannotGenerate(`a pattern it cannot read (${s.pattern.slice(0, 60)})`);
    }
    if (!pattern.test(value)) throw new CannotGenerate(`a string matching the pattern ${s.pattern.slice(0, 60)}; give the schema an example`);
  }
  return value;
}

function formatted(format: unknown, random: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const time = new Date(BASE_TIME + Math.floor(random() * 365 * 86_400) * 1000);
  switch (format) {
    case 'date-time':
      return time.toISOString();
    case 'date':
      return time.toISOString().slice(0, 10);
    case 'time':
      return `${time.toISOString().slice(11, 19)}Z`;
    case 'email':
      return `user${hex(4)}@example.com`;
    case 'uri':
    case 'url':
      return `https://example.com/${hex(8)}`;
    case 'uri-reference':
      return `/items/${hex(8)}`;
    case 'hostname':
      return `host-${hex(6)}.example.com`;
    case 'ipv4':
      return `192.0.2.${1 + Math.floor(random() * 254)}`;
    case 'ipv6':
      return `2001:db8::${hex(4)}`;
    case 'uuid':
      return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    case 'byte':
      return Buffer.from(hex(8)).toString('base64');
    default:
      return `string-${hex(6)}`;
  }
}
