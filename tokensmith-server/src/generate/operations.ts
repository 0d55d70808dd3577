import { resolveRef } from './refs';
import type { OpenApiDocument } from './document';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One operation of a spec, with its map key `"METHOD /path/template"`. */
export interface OperationEntry {
  key: string;
  method: string;
  path: string;
  operation: OperationObject;
}

export interface OperationObject {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> } | { $ref: string };
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: unknown;
  $ref?: string;
}

/** Every operation in document order, path-level parameters merged into each, `$ref`s resolved. */
export function listOperations(doc: OpenApiDocument): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [pathTemplate, pathItem] of Object.entries(doc.paths ?? {})) {
    const resolveAll = (list: unknown) => ((list as unknown[] | undefined) ?? []).map((p) => resolveRef(doc, p) as ParameterObject);
    const shared = resolveAll(pathItem.parameters);
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as OperationObject | undefined;
      if (!operation) continue;
      const own = resolveAll(operation.parameters);
      const merged = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      entries.push({
        key: `${method.toUpperCase()} ${pathTemplate}`,
        method: method.toUpperCase(),
        path: pathTemplate,
        operation: { ...operation, parameters: merged },
      });
    }
  }
  return entries;
}
