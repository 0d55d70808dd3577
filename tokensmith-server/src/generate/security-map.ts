import { listOperations } from './operations';
import type { OpenApiDocument, SecuritySchemeObject } from './document';
import { resolveRef } from './refs';

/**
 * The security map of a spec as TypeScript: for every operation the alternatives the spec
 * declares (operation-level `security`, else the document's), each a list of scheme names.
 */
export function renderSecurityMap(doc: OpenApiDocument, header: string): string {
  const operationSecurity: Record<string, string[][]> = {};
  for (const { key, operation } of listOperations(doc)) {
    const requirements = operation.security ?? doc.security ?? [];
    operationSecurity[key] = requirements.map((requirement) => Object.keys(requirement).sort());
  }
  const schemes: Record<string, { type: string; scheme?: string }> = {};
  for (const [name, declared] of Object.entries(doc.components?.securitySchemes ?? {})) {
    const scheme = resolveRef(doc, declared) as SecuritySchemeObject;
    schemes[name] = scheme.scheme === undefined ? { type: scheme.type } : { type: scheme.type, scheme: scheme.scheme };
  }
  return [
    `// ${header}`,
    '',
    '/** The first server URL the spec declares, with server variables at their defaults. */',
    `export const defaultServerUrl = ${JSON.stringify(defaultServerUrl(doc))};`,
    '',
    '/** The security schemes the spec declares, by name. */',
    `export const securitySchemes = ${JSON.stringify(schemes, null, 2)} as const;`,
    '',
    '/**',
    ' * For every operation, keyed `"METHOD /path/template"`, the alternatives the spec accepts, each a',
    ' * list of scheme names that must all be present. `[]` means no auth; an empty alternative means',
    ' * the operation may also be called with no auth.',
    ' */',
    `export const operationSecurity = ${JSON.stringify(operationSecurity, null, 2)} as const;`,
    '',
  ].join('\n');
}

function defaultServerUrl(doc: OpenApiDocument): string {
  const server = doc.servers?.[0];
  if (!server) return '';
  return server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => server.variables?.[name]?.default ?? whole);
}
