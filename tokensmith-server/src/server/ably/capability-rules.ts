import { ConfigurationError } from 'tokensmith';

/**
 * How the server applies capabilities: which operations exist, how a resource pattern matches a
 * channel, and what a token gets when its requested capability meets its key's.
 *
 * A resource is a channel name, `*` (every channel) or a prefix ending in `*` (`chat:*` matches
 * `chat:lobby` and the pattern `chat:room:*`). The operation `*` stands for every operation.
 */

/** A parsed capability: resource -> operations (sorted, de-duplicated). */
export type CapabilityMap = Record<string, string[]>;

/** The operations a capability may name. */
export const CAPABILITY_OPERATIONS: ReadonlySet<string> = new Set([
  '*', 'publish', 'subscribe', 'presence', 'history', 'stats', 'channel-metadata', 'push-subscribe',
  'push-admin', 'object-subscribe', 'object-publish', 'annotation-publish', 'annotation-subscribe',
  'message-update-own', 'message-update-any', 'message-delete-own', 'message-delete-any',
]);

// An optional `[qualifier]` prefix, then a name with at most one `*`, at its end.
const RESOURCE_PATTERN = /^(\[[^\]]*\])?[^*[\]]*\*?$/;

/**
 * Throws, naming the resource at fault, unless every resource is a valid pattern (a name, `*`, or
 * a prefix ending in `*`, optionally after a `[qualifier]`) and every operation list names known
 * operations with `*` alone. (`parseCapability` has already refused empty lists and non-strings.)
 * Ably refuses such a capability with HTTP 400; `code` is the one to use (40003 for config).
 */
export function assertValidCapability(capability: CapabilityMap, where = 'capability', code = 40000): void {
  for (const [resource, operations] of Object.entries(capability)) {
    const name = JSON.stringify(resource.slice(0, 64));
    if (!RESOURCE_PATTERN.test(resource)) {
      throw new ConfigurationError(code, `${where} resource ${name} is not a valid pattern: "*" may only end it`, { statusCode: 400 });
    }
    if (operations.some((operation) => !CAPABILITY_OPERATIONS.has(operation))) {
      throw new ConfigurationError(code, `${where} for resource ${name} names an unknown operation`, { statusCode: 400 });
    }
    if (operations.length > 1 && operations.includes('*')) {
      throw new ConfigurationError(code, `${where} for resource ${name} combines "*" with other operations; use "*" alone`, { statusCode: 400 });
    }
  }
}

/** True when `pattern` (a resource name, `*` or `prefix*`) covers `name` (a channel or a narrower pattern). */
export function resourceCovers(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  return pattern.endsWith('*') && name.startsWith(pattern.slice(0, -1));
}

/** True when `capability` allows `operation` on `channel`. */
export function permits(capability: CapabilityMap, channel: string, operation: string): boolean {
  for (const [resource, operations] of Object.entries(capability)) {
    if (resourceCovers(resource, channel) && (operations.includes('*') || operations.includes(operation))) return true;
  }
  return false;
}

/**
 * The capability a token gets: for each pair of requested and key resources where one covers the
 * other, the narrower resource with the operations both allow. Empty when nothing overlaps.
 *
 * @example
 * ```ts
 * intersectCapabilities({ 'chat:lobby': ['*'] }, { 'chat:*': ['publish'] }); // { 'chat:lobby': ['publish'] }
 * ```
 */
export function intersectCapabilities(requested: CapabilityMap, granted: CapabilityMap): CapabilityMap {
  const result: CapabilityMap = Object.create(null);
  for (const [wanted, wantedOps] of Object.entries(requested)) {
    for (const [allowed, allowedOps] of Object.entries(granted)) {
      const narrower = resourceCovers(allowed, wanted) ? wanted : resourceCovers(wanted, allowed) ? allowed : undefined;
      if (narrower === undefined) continue;
      const operations = intersectOperations(wantedOps, allowedOps);
      if (operations.length === 0) continue;
      result[narrower] = normaliseOperations([...(result[narrower] ?? []), ...operations]);
    }
  }
  return result;
}

function intersectOperations(a: readonly string[], b: readonly string[]): string[] {
  if (a.includes('*')) return [...b];
  if (b.includes('*')) return [...a];
  return a.filter((operation) => b.includes(operation));
}

function normaliseOperations(operations: readonly string[]): string[] {
  const unique = [...new Set(operations)];
  return unique.includes('*') ? ['*'] : unique.sort();
}
