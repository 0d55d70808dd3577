import type { FastifySchema } from 'fastify';
import type { SecurityRequirements } from './security';

/** One operation a server routes, wherever it was read from. */
export interface OperationRecord {
  /** `"METHOD /template"`, as the spec (and the generated maps) key it, without a server base path. */
  key: string;
  /** Its `operationId`, or the key when there is none to hand. */
  name: string;
  /** The HTTP method, upper case. */
  method: string;
  /** The route as Fastify writes it, base path included: `/api/v1/customers/:customerId`. */
  route: string;
  /** The Fastify request schema its requests are validated with, if any. */
  schema?: FastifySchema;
  /** Its effective `security`: `[]` is open, a `{}` among them makes auth optional. */
  security: SecurityRequirements;
}

/** The operations of one API, ready to route. */
export interface OperationSource<Operation extends OperationRecord = OperationRecord> {
  /** What the API is called in error messages (a spec's file, or a bundled spec's name). */
  name: string;
  operations: readonly Operation[];
}

/**
 * The operations of a spec bundled with tokensmith, from its generated maps (`tokensmith/schemas`
 * and the `…Security.operationSecurity` map), so starting a server parses no YAML. Every operation
 * of the security map is one; its request schema is the generated one for the same key. Mounted
 * under the plugin's prefix, so routes carry no base path.
 *
 * @throws {Error} naming the operation when the two maps disagree (a stale generation).
 */
export function bundledSource(
  name: string,
  schemas: Readonly<Record<string, unknown>>,
  security: Readonly<Record<string, SecurityRequirements>>,
): OperationSource {
  const operations = Object.entries(security).map(([key, requirements]) => {
    const space = key.indexOf(' ');
    const template = key.slice(space + 1);
    const schema = schemas[key] as FastifySchema | undefined;
    if (schema === undefined) throw new Error(`${name}: no generated request schema for ${key}; run npm run generate`);
    return { key, name: key, method: key.slice(0, space), route: template.replace(/\{([^}]+)\}/g, ':$1'), schema, security: requirements };
  });
  return { name, operations };
}
