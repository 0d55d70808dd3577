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
]);

/** Throws 40003 naming the resource whose operation list holds an unknown operation. */
export function assertKnownOperations(capability: CapabilityMap, where = 'capability'): void {
  for (const [resource, operations] of Object.entries(capability)) {
    if (operations.some((operation) => !CAPABILITY_OPERATIONS.has(operation))) {
      throw new ConfigurationError(40003, `${where} for resource ${JSON.stringify(resource.slice(0, 64))} names an unknown operation`);
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
