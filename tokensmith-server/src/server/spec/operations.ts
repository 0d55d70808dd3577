import { loadSpecDocument, type OpenApiDocument, type SecuritySchemeObject } from '../../generate/document';
import { GenerateError } from '../../generate/errors';
import { listOperations, type OperationEntry, type ParameterObject } from '../../generate/operations';
import { resolveRef } from '../../generate/refs';
import type { Requirement } from '../operations/security';
import type { OperationRecord } from '../operations/source';

export type { Requirement } from '../operations/security';

/** One operation of a served spec, ready to route (its request schema is made when it is routed). */
export interface ServedOperation extends OperationRecord {
  /** Path template as the spec writes it, e.g. `/customers/{customerId}`. */
  template: string;
  /** Fastify param name to the spec's own name, where they differ. */
  paramNames: Readonly<Record<string, string>>;
  parameters: readonly ParameterObject[];
  /** The operation object, `$ref`s of its parameters resolved. */
  operation: Record<string, unknown>;
  /** Index of the spec in the list served. */
  specIndex: number;
  doc: OpenApiDocument;
}

/** A spec ready to serve. */
export interface ServedSpec {
  file: string;
  doc: OpenApiDocument;
  /** Path of the first server URL, `''` for the root. */
  basePath: string;
  securitySchemes: Readonly<Record<string, SecuritySchemeObject & { flows?: Record<string, { tokenUrl?: string; scopes?: Record<string, string> }> }>>;
  operations: ServedOperation[];
}

/**
 * Loads each spec and compiles its operations. Anything that keeps a spec from being served (not
 * OpenAPI 3.0/3.1, no operations, a requirement naming an undeclared scheme, two operations on
 * the same route) is a {@link GenerateError} (40003) with one line naming the file and problem.
 */
export async function loadServedSpecs(files: readonly string[]): Promise<ServedSpec[]> {
  if (files.length === 0) throw new GenerateError('invalid-argument', 'give at least one --spec FILE');
  const specs: ServedSpec[] = [];
  const routes = new Map<string, string>();
  for (const [specIndex, file] of files.entries()) {
    const doc = await loadSpecDocument(file);
    const spec = compileSpec(file, doc, specIndex);
    for (const operation of spec.operations) {
      const routeKey = `${operation.method} ${operation.route.replace(/:[^/]+/g, ':')}`;
      const other = routes.get(routeKey);
      if (other !== undefined) throw new GenerateError('spec-invalid', `${file}: ${operation.key} is on the same route as ${other}; serve the two specs from separate servers`);
      routes.set(routeKey, `${operation.key} of ${file}`);
    }
    specs.push(spec);
  }
  return specs;
}

function compileSpec(file: string, doc: OpenApiDocument, specIndex: number): ServedSpec {
  let entries: OperationEntry[];
  try {
    entries = listOperations(doc);
  } catch (error) {
    throw new GenerateError('spec-invalid', `${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (entries.length === 0) throw new GenerateError('spec-invalid', `${file} declares no operations under "paths"; there is nothing to serve`);
  const basePath = basePathOf(file, doc);
  const securitySchemes = (doc.components?.securitySchemes ?? {}) as ServedSpec['securitySchemes'];
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    const resolved = resolveRef(doc, scheme) as SecuritySchemeObject;
    if (!resolved || typeof resolved.type !== 'string') throw new GenerateError('spec-invalid', `${file}: security scheme "${name}" has no "type"`);
    (securitySchemes as Record<string, SecuritySchemeObject>)[name] = resolved;
  }
  const operations = entries.map((entry) => {
    const security = (entry.operation.security ?? doc.security ?? []) as Requirement[];
    if (!Array.isArray(security)) throw new GenerateError('spec-invalid', `${file}: ${entry.key} has a "security" that is not a list`);
    for (const requirement of security) {
      for (const name of Object.keys(requirement ?? {})) {
        if (securitySchemes[name] === undefined) throw new GenerateError('spec-invalid', `${file}: ${entry.key} requires security scheme "${name}", which components.securitySchemes does not declare`);
      }
    }
    const { route, paramNames } = fastifyRoute(basePath, entry.path);
    const operationId = (entry.operation as { operationId?: unknown }).operationId;
    return {
      key: entry.key,
      name: typeof operationId === 'string' && operationId !== '' ? operationId : entry.key,
      method: entry.method,
      template: entry.path,
      route,
      paramNames,
      parameters: entry.operation.parameters ?? [],
      operation: entry.operation as unknown as Record<string, unknown>,
      security,
      specIndex,
      doc,
    } satisfies ServedOperation;
  });
  return { file, doc, basePath, securitySchemes, operations };
}

/** The path of the first server URL, its variables at their defaults; `''` without one. */
function basePathOf(file: string, doc: OpenApiDocument): string {
  const server = doc.servers?.[0];
  if (!server || typeof server.url !== 'string') return '';
  const url = server.url.replace(/\{([^}]+)\}/g, (_match, name: string) => server.variables?.[name]?.default ?? '');
  let path: string;
  try {
    path = new URL(url, 'http://localhost').pathname;
  } catch {
    throw new GenerateError('spec-invalid', `${file}: servers[0].url is not a URL`);
  }
  return decodeURI(path).replace(/\/+$/, '');
}

/** `/things/{thing-id}:run` as Fastify writes it, with param names Fastify can hold. */
function fastifyRoute(basePath: string, template: string): { route: string; paramNames: Record<string, string> } {
  const paramNames: Record<string, string> = {};
  let index = 0;
  const route = `${basePath}${template}`
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const match = /^\{([^}]+)\}$/.exec(part);
      if (!match) return part.replace(/:/g, '::');
      const name = match[1]!;
      const safe = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `p${index}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
      index++;
      if (safe !== name) paramNames[safe] = name;
      return `:${safe}`;
    })
    .join('');
  return { route: route === '' ? '/' : route, paramNames };
}
