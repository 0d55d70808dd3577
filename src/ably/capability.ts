import { InvalidArgumentError } from '../core/errors';

/**
 * Ably capabilities: which operations a token may perform on which resources.
 *
 * A capability maps a resource name (a channel name, `*`, or a prefix ending in `*` such as
 * `chat:*`) to the operations allowed on it (`publish`, `subscribe`, `history`, `*`, …).
 *
 * @see https://ably.com/docs/auth/capabilities
 */

/** A capability as an object: resource name -> allowed operations. */
export type Capability = Readonly<Record<string, readonly string[]>>;

/** A capability as callers may give it: an object, or its JSON text. */
export type CapabilityInput = Capability | string;

const MAX_NAME_IN_MESSAGE = 64;

/**
 * Parses and validates a capability given as an object or as JSON text. The result is a fresh
 * object; the input is never mutated.
 *
 * @throws {ConfigurationError} code 40003, naming the problem, when the input is not a JSON object
 * of resource name -> non-empty array of non-empty operation strings.
 *
 * @example
 * ```ts
 * parseCapability('{"chat:*":["subscribe","publish"]}'); // { 'chat:*': ['subscribe', 'publish'] }
 * ```
 */
export function parseCapability(input: CapabilityInput): Record<string, string[]> {
  const value = checkedCapability(input);
  const result: Record<string, string[]> = Object.create(null);
  for (const resource of Object.keys(value)) result[resource] = [...(value[resource] as readonly string[])];
  return result;
}

/**
 * The canonical JSON text of a capability, as signed in a TokenRequest: resource names sorted,
 * each operation list sorted and de-duplicated, no whitespace.
 *
 * Sorting is by UTF-16 code unit (`Array.prototype.sort`) and the text comes from
 * `JSON.stringify` of an object built in that order — exactly what the official Ably SDK does, so
 * MACs agree. (One consequence of `JSON.stringify`: resource names that are array indices, such as
 * `"7"`, come first in numeric order.)
 *
 * @throws {ConfigurationError} code 40003 as {@link parseCapability}.
 *
 * @example
 * ```ts
 * canonicalCapability({ b: ['subscribe', 'publish'], a: ['*'] }); // '{"a":["*"],"b":["publish","subscribe"]}'
 * ```
 */
export function canonicalCapability(input: CapabilityInput): string {
  const value = parsedObject(input);
  // Checked and tested for canonical order in one pass: callers usually write capabilities sorted
  // (or pass one this module produced), and serialising those as they are is several times
  // cheaper than building a sorted copy. Only a plain object serialises exactly as it looks.
  // (for…in in own-key order, not Object.keys: no array is built on this path.)
  const prototype: unknown = Object.getPrototypeOf(value);
  let canonical = prototype === Object.prototype || prototype === null;
  let previous: string | undefined;
  for (const resource in value) {
    if (!Object.hasOwn(value, resource)) continue;
    const operations = checkedOperations(value, resource);
    if (canonical && ((previous !== undefined && !(previous < resource)) || !strictlyIncreasing(operations))) canonical = false;
    previous = resource;
  }
  if (canonical) return JSON.stringify(value);
  const resources = Object.keys(value).sort();
  // A plain object serialises faster than a null-prototype one; only "__proto__" needs the latter.
  const sorted: Record<string, readonly string[]> = resources.includes('__proto__') ? Object.create(null) : {};
  for (const resource of resources) sorted[resource] = sortedUnique(value[resource] as readonly string[]);
  return JSON.stringify(sorted);
}

/** The input as an object, its shape checked; not copied. */
function checkedCapability(input: CapabilityInput): Capability {
  const value = parsedObject(input);
  for (const resource of Object.keys(value)) checkedOperations(value, resource);
  return value;
}

/** The input, parsed when it is text, checked to be a JSON object. */
function parsedObject(input: CapabilityInput): Capability {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw invalid('capability is not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('capability must be an object of resource name -> array of operations');
  }
  return value as Capability;
}

/** The operations of `resource`, checked to be a non-empty array of non-empty strings. */
function checkedOperations(value: Capability, resource: string): readonly string[] {
  if (resource === '') throw invalid('capability has an empty resource name');
  const operations: unknown = value[resource];
  if (!Array.isArray(operations)) {
    throw invalid(`capability for resource ${quote(resource)} must be an array of operations`);
  }
  if (operations.length === 0) {
    throw invalid(`capability for resource ${quote(resource)} has no operations`);
  }
  for (let i = 0; i < operations.length; i++) {
    const operation: unknown = operations[i];
    if (typeof operation !== 'string' || operation === '') {
      throw invalid(`capability for resource ${quote(resource)} has an operation that is not a non-empty string`);
    }
  }
  return operations as readonly string[];
}

function strictlyIncreasing(operations: readonly string[]): boolean {
  for (let i = 1; i < operations.length; i++) if (!((operations[i - 1] as string) < (operations[i] as string))) return false;
  return true;
}

function sortedUnique(operations: readonly string[]): readonly string[] {
  if (strictlyIncreasing(operations)) return operations;
  const sorted = operations.slice().sort();
  let kept = 1;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[kept - 1]) sorted[kept++] = sorted[i] as string;
  sorted.length = kept;
  return sorted;
}

function invalid(message: string): InvalidArgumentError {
  return new InvalidArgumentError(40003, message);
}

function quote(name: string): string {
  const shown = name.length > MAX_NAME_IN_MESSAGE ? `${name.slice(0, MAX_NAME_IN_MESSAGE)}…` : name;
  return JSON.stringify(shown);
}
