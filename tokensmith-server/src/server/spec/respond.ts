import type { OpenApiDocument } from '../../generate/document';
import { resolveRef } from '../../generate/refs';
import type { Json } from './json-schema';
import { CannotGenerate, hashText, sampleOf, seededRandom } from './sample';
import type { ServedOperation } from './operations';

/** What the mock answers: a status, a media type and a body (undefined for none). */
export interface MockAnswer {
  status: number;
  contentType?: string;
  body?: Json;
  /** Headers the spec's response declares, with generated values. */
  headers: Record<string, string>;
  /** The schema of the chosen media type, for the stateful layer to fill in. */
  schema?: unknown;
}

/** What a client asked for with `Prefer: code=404, example=notFound, dynamic=true` (Prism's header). */
export interface Preference {
  code?: string;
  example?: string;
  dynamic?: boolean;
}

/**
 * Why no answer could be made. The server turns it into 501 naming the operation, or into 400
 * when `byPreference`: the client's `Prefer` asked for a response or example the spec does not have.
 */
export class NotServable extends Error {
  constructor(message: string, readonly byPreference = false) {
    super(message);
  }
}

interface ResponseObject {
  content?: Record<string, MediaObject>;
  headers?: Record<string, { schema?: unknown; example?: unknown }>;
}
interface MediaObject {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, { value?: unknown } | { $ref: string }>;
}

/** Parses `Prefer`; unknown preferences are ignored, as RFC 7240 says. */
export function parsePrefer(header: string | string[] | undefined): Preference {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const preference: Preference = {};
  for (const part of text.split(/[,;]/)) {
    const [rawName, ...rest] = part.split('=');
    const name = rawName?.trim().toLowerCase();
    const value = rest.join('=').trim().replace(/^"(.*)"$/, '$1');
    if (name === 'code' && value !== '') preference.code = value;
    else if (name === 'example' && value !== '') preference.example = value;
    else if (name === 'dynamic') preference.dynamic = value === '' || value === 'true';
  }
  return preference;
}

/**
 * The answer the spec gives for `operation`: the response `Prefer: code=` names (else the lowest
 * 2xx, else `default` as 200), its JSON media type (else its first), and the example `Prefer:
 * example=` names, else the media's `example`, its first `examples` entry, or data generated from
 * its schema for `seed` (always generated with `dynamic=true`).
 *
 * @throws {NotServable} when the spec has no such response, or no data can be made for it.
 */
export function answerFor(operation: ServedOperation, preference: Preference, seed: number): MockAnswer {
  const { doc } = operation;
  const responses = (resolveRef(doc, operation.operation.responses) ?? {}) as Record<string, unknown>;
  const [statusKey, status] = pickStatus(responses, preference.code, operation);
  const response = resolveRef(doc, responses[statusKey]) as ResponseObject | undefined;
  const random = seededRandom(seed ^ hashText(`${operation.specIndex} ${operation.key} ${status}`));
  const headers = headersOf(doc, response, random);
  const content = response?.content ?? {};
  const types = Object.keys(content);
  const contentType = types.find((type) => /json/i.test(type)) ?? types[0];
  if (contentType === undefined) return { status, headers };
  const media = content[contentType]!;
  try {
    const body = bodyOf(doc, media, preference, random, operation);
    return { status, contentType, body, headers, schema: media.schema };
  } catch (error) {
    if (error instanceof CannotGenerate) throw new NotServable(`cannot make a ${status} answer for ${operation.name}: its schema needs ${error.message}`);
    throw error;
  }
}

function pickStatus(responses: Record<string, unknown>, wanted: string | undefined, operation: ServedOperation): [string, number] {
  const keys = Object.keys(responses);
  if (wanted !== undefined) {
    const pattern = `${wanted[0]}XX`;
    const key = keys.find((k) => k === wanted) ?? keys.find((k) => k.toUpperCase() === pattern) ?? (keys.includes('default') ? 'default' : undefined);
    if (key === undefined || !/^[1-5]\d\d$/.test(wanted)) throw new NotServable(`the Prefer header asks for a response code ${operation.name} does not declare`, true);
    return [key, Number(wanted)];
  }
  const success = keys.filter((k) => /^2(\d\d|XX)$/i.test(k)).sort();
  if (success[0] !== undefined) return [success[0], /^\d+$/.test(success[0]) ? Number(success[0]) : 200];
  if (keys.includes('default')) return ['default', 200];
  throw new NotServable(`${operation.name} declares no 2xx or default response`);
}

function bodyOf(doc: OpenApiDocument, media: MediaObject, preference: Preference, random: () => number, operation: ServedOperation): Json {
  const examples = media.examples ?? {};
  if (!preference.dynamic) {
    if (preference.example !== undefined) {
      const named = examples[preference.example];
      if (named === undefined) throw new NotServable(`the Prefer header asks for an example ${operation.name} does not have`, true);
      return (resolveRef(doc, named) as { value?: Json }).value ?? null;
    }
    if (media.example !== undefined) return media.example as Json;
    const first = Object.values(examples)[0];
    if (first !== undefined) return (resolveRef(doc, first) as { value?: Json }).value ?? null;
  }
  if (media.schema === undefined) return null;
  return sampleOf(doc, media.schema, random);
}

function headersOf(doc: OpenApiDocument, response: ResponseObject | undefined, random: () => number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(response?.headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-type' || lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue;
    const resolved = resolveRef(doc, header) as { schema?: unknown; example?: unknown };
    try {
      const value = resolved.example ?? sampleOf(doc, resolved.schema ?? { type: 'string' }, random);
      if (value !== null && typeof value !== 'object') headers[lower] = String(value).replace(/[^\x20-\x7e]/g, '');
    } catch {
      // a header it cannot generate is left out; the body is what clients read
    }
  }
  return headers;
}
