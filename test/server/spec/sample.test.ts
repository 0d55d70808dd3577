import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '../../../tokensmith-server/src/generate/document';
import { toJsonSchema } from '../../../tokensmith-server/src/server/spec/json-schema';
import { CannotGenerate, sampleOf, seededRandom } from '../../../tokensmith-server/src/server/spec/sample';

// The response-data generator: every value it makes validates against its schema (checked by
// Ajv on the same schema turned into JSON Schema), and the same seed makes the same value.
const doc: OpenApiDocument = {
  openapi: '3.0.3',
  paths: {},
  components: {
    schemas: {
      Node: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } },
      Base: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } },
    },
  },
};
const ajv = new Ajv({ strict: false });
addFormats(ajv);

const valid: Array<[string, unknown]> = [
  ['integer in an exclusive range', { type: 'integer', minimum: 10, maximum: 12, exclusiveMinimum: true }],
  ['number with 3.1 numeric exclusives', { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }],
  ['multipleOf', { type: 'integer', minimum: 7, maximum: 100, multipleOf: 5 }],
  ['string lengths', { type: 'string', minLength: 30, maxLength: 31 }],
  ['formats', { type: 'object', properties: Object.fromEntries(['date-time', 'date', 'time', 'email', 'uri', 'uuid', 'hostname', 'ipv4', 'ipv6'].map((f) => [f, { type: 'string', format: f }])) }],
  ['enum', { type: 'string', enum: ['b', 'a'] }],
  ['array bounds', { type: 'array', items: { type: 'boolean' }, minItems: 3, maxItems: 4 }],
  ['a $ref', { $ref: '#/components/schemas/Base' }],
  ['allOf merged', { allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: ['x'] } } }] }],
  ['oneOf first branch', { oneOf: [{ type: 'integer', maximum: 3, minimum: 0 }, { type: 'string' }] }],
  ['anyOf first branch', { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }] }],
  ['3.1 type list', { type: ['null', 'integer'], minimum: 5, maximum: 5 }],
  ['nullable', { type: 'string', nullable: true, format: 'email' }],
  ['a recursive schema, bounded', { $ref: '#/components/schemas/Node' }],
  ['a pattern it happens to meet', { type: 'string', pattern: '^string-' }],
];

describe('sampleOf', () => {
  test.each(valid)('%s: the value validates and the seed fixes it', (_name, schema) => {
    const value = sampleOf(doc, schema, seededRandom(3));
    expect(ajv.validate(toJsonSchema(doc, schema) as object, value)).toBe(true);
    expect(sampleOf(doc, schema, seededRandom(3))).toEqual(value);
  });

  test('examples, defaults and const come first', () => {
    expect(sampleOf(doc, { type: 'integer', example: 42 }, seededRandom(1))).toBe(42);
    expect(sampleOf(doc, { type: 'integer', default: 7 }, seededRandom(1))).toBe(7);
    expect(sampleOf(doc, { const: 'fixed' }, seededRandom(1))).toBe('fixed');
  });

  test('writeOnly properties are left out of response data', () => {
    expect(sampleOf(doc, { type: 'object', properties: { password: { type: 'string', writeOnly: true }, name: { type: 'string' } } }, seededRandom(1))).toEqual({ name: expect.any(String) });
  });

  test.each([
    ['not', { not: { type: 'string' } }],
    ['an empty range', { type: 'integer', minimum: 5, maximum: 4 }],
    ['a pattern it cannot meet', { type: 'string', pattern: '^[A-Z]{3}$' }],
  ])('%s: CannotGenerate', (_name, schema) => {
    expect(() => sampleOf(doc, schema, seededRandom(1))).toThrow(CannotGenerate);
  });
});
