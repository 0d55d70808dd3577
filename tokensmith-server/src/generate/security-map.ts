import { listOperations } from './operations';
import type { OAuthFlowObject, OpenApiDocument, SecuritySchemeObject } from './document';
import { resolveRef } from './refs';
import { describeUnsupported, type UnsupportedOperation } from './supported-security';

/** The scheme fields the auth reads; descriptions and `x-` extensions are left out of the map. */
const SCHEME_FIELDS = ['type', 'scheme', 'bearerFormat', 'name', 'in', 'flows', 'openIdConnectUrl'] as const;
const FLOW_FIELDS = ['authorizationUrl', 'tokenUrl', 'refreshUrl', 'scopes'] as const;

/** What `<name>.security.ts` exports, as data: {@link renderSecurityMap} prints exactly this. */
export interface SecurityMapData {
  defaultServerUrl: string;
  securitySchemes: Record<string, Record<string, unknown>>;
  operationSecurity: Record<string, Record<string, string[]>[]>;
}

/** The security map of a spec as data: schemes as declared, requirement objects per operation. */
export function securityMapOf(doc: OpenApiDocument): SecurityMapData {
  const operationSecurity: SecurityMapData['operationSecurity'] = {};
  for (const { key, operation } of listOperations(doc)) {
    operationSecurity[key] = (operation.security ?? doc.security ?? []).map((requirement) => ({ ...requirement }));
  }
  const securitySchemes: SecurityMapData['securitySchemes'] = {};
  for (const [name, declared] of Object.entries(doc.components?.securitySchemes ?? {})) {
    securitySchemes[name] = schemeEntry(resolveRef(doc, declared) as SecuritySchemeObject);
  }
  return { defaultServerUrl: defaultServerUrl(doc), securitySchemes, operationSecurity };
}

/**
 * `<name>.security.ts`: {@link securityMapOf} as TypeScript, every declared scheme as written
 * (URLs untouched, so a relative `tokenUrl` stays relative) and for every operation the spec's own
 * requirement objects (operation-level `security`, else the document's), one line each.
 * `unsupported` becomes a comment block naming each operation no alternative of which tokensmith
 * can send.
 */
export function renderSecurityMap(doc: OpenApiDocument, header: string, unsupported: readonly UnsupportedOperation[] = []): string {
  const { defaultServerUrl: serverUrl, securitySchemes: schemes, operationSecurity } = securityMapOf(doc);
  const shared = sharedRequirementLists(Object.values(operationSecurity));
  const operations = Object.entries(operationSecurity).map(([key, requirements]) => {
    const written = JSON.stringify(requirements);
    return `  ${JSON.stringify(key)}: ${shared.get(written) ?? written},`;
  });
  return [
    `// ${header}`,
    '',
    ...unsupportedComment(unsupported),
    '/** The first server URL the spec declares, with server variables at their defaults. */',
    `export const defaultServerUrl = ${JSON.stringify(serverUrl)};`,
    '',
    '/** The security schemes the spec declares, by name, as declared (relative URLs resolve against the server URL). */',
    `export const securitySchemes = ${JSON.stringify(schemes, null, 2)} as const;`,
    '',
    ...sharedDeclarations(shared),
    '/**',
    ' * For every operation, keyed `"METHOD /path/template"`, the security requirements the spec',
    ' * declares: any one of the objects will do, and every scheme an object names is needed together,',
    ' * with the oauth2/openIdConnect scopes listed. `[]` means no auth; `{}` means auth is optional.',
    ' */',
    operations.length === 0 ? 'export const operationSecurity = {} as const;' : ['export const operationSecurity = {', ...operations, '} as const;'].join('\n'),
    '',
    '/** The name of a security scheme of this spec: what credentials are keyed by. */',
    'export type SecuritySchemeName = keyof typeof securitySchemes;',
    '',
    '/** An operation of this spec, `"METHOD /path/template"`. */',
    'export type OperationKey = keyof typeof operationSecurity;',
    '',
  ].join('\n');
}

/**
 * Names for the requirement lists more than one operation declares (JSON text -> const name), in
 * order of first use: each is written once and referenced, so a bundle carries it once. The name
 * says which schemes the list accepts; `security_` keeps it clear of keywords and the exports.
 */
function sharedRequirementLists(lists: readonly Record<string, string[]>[][]): Map<string, string> {
  const uses = new Map<string, number>();
  for (const list of lists) uses.set(JSON.stringify(list), (uses.get(JSON.stringify(list)) ?? 0) + 1);
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const list of lists) {
    const written = JSON.stringify(list);
    if (uses.get(written)! < 2 || names.has(written)) continue;
    const base = `security_${list.length === 0 ? 'none' : list.map((requirement) => Object.keys(requirement).join('_and_') || 'anonymous').join('_or_')}`.replace(/[^\w$]/g, '_');
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    names.set(written, name);
  }
  return names;
}

function sharedDeclarations(shared: ReadonlyMap<string, string>): string[] {
  if (shared.size === 0) return [];
  return [
    '// Requirement lists that several operations declare, written once (see `operationSecurity`).',
    ...[...shared].map(([written, name]) => `const ${name} = ${written} as const;`),
    '',
  ];
}

function schemeEntry(scheme: SecuritySchemeObject): Record<string, unknown> {
  const entry: Record<string, unknown> = {};
  for (const field of SCHEME_FIELDS) {
    const value = scheme[field];
    if (value === undefined) continue;
    entry[field] = field === 'flows' ? flowsEntry(value as Record<string, OAuthFlowObject>) : value;
  }
  return entry;
}

function flowsEntry(flows: Record<string, OAuthFlowObject>): Record<string, Record<string, unknown>> {
  const entry: Record<string, Record<string, unknown>> = {};
  for (const [name, flow] of Object.entries(flows)) {
    if (name.startsWith('x-') || !flow || typeof flow !== 'object') continue;
    entry[name] = {};
    for (const field of FLOW_FIELDS) if (flow[field] !== undefined) entry[name][field] = flow[field];
  }
  return entry;
}

function unsupportedComment(unsupported: readonly UnsupportedOperation[]): string[] {
  if (unsupported.length === 0) return [];
  return [
    '/*',
    ` * ${unsupported.length === 1 ? 'One operation has' : `${unsupported.length} operations have`} no security requirement tokensmith can send. They are`,
    ' * generated all the same; a call to one throws a typed error naming it and the scheme, before any network:',
    ...unsupported.map((entry) => ` *   ${describeUnsupported(entry).replace(/\*\//g, '* /')}`),
    ' */',
    '',
  ];
}

function defaultServerUrl(doc: OpenApiDocument): string {
  const server = doc.servers?.[0];
  if (!server) return '';
  return server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => server.variables?.[name]?.default ?? whole);
}
