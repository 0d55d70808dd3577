import { join } from 'node:path';
import { loadSpecDocument, type OpenApiDocument } from '../../../tokensmith-server/src/generate/document';
import { resolveRef } from '../../../tokensmith-server/src/generate/refs';
import type { Requirement, ServedOperation } from '../../../tokensmith-server/src/server/spec/operations';
import { sampleOf, seededRandom } from '../../../tokensmith-server/src/server/spec/sample';
import type { SpecServerConfigInput } from '../../../tokensmith-server/src/server/spec/config';

export const SPECS_DIR = join(process.cwd(), 'test', 'fixtures', 'specs');
export const ABLY_LIKE = join(SPECS_DIR, 'ably-platform-like.yaml');
export const METQUAY_LIKE = join(SPECS_DIR, 'pymetquay-like.yaml');

export const BASIC_USER = { username: 'app.key', password: 'basic-secret-0123456789abcdef' };
export const API_KEY = 'api-key-secret-0123456789abcdef';
export const TOKENS = {
  all: 'token-all-scopes-0123456789',
  noScope: 'token-no-scope-0123456789',
  expired: 'token-expired-0123456789',
  toRevoke: 'token-to-revoke-0123456789',
} as const;
export const SECRETS = [BASIC_USER.password, API_KEY, ...Object.values(TOKENS)];

/** Every scope any requirement of `docs` names. */
export async function allScopes(files: readonly string[]): Promise<string[]> {
  const scopes = new Set<string>();
  for (const file of files) {
    const doc = await loadSpecDocument(file);
    const requirements: Requirement[] = [...(doc.security ?? [])];
    for (const item of Object.values(doc.paths ?? {})) for (const op of Object.values(item)) requirements.push(...(((op as { security?: Requirement[] }).security) ?? []));
    for (const requirement of requirements) for (const list of Object.values(requirement)) for (const scope of list) scopes.add(scope);
  }
  return [...scopes];
}

/** A config with a token of every scope, a scope-less one, an expired one, a basic user and an API key. */
export async function specTestConfig(files: readonly string[], now: number): Promise<SpecServerConfigInput> {
  return {
    tokens: [
      { token: TOKENS.all, scopes: await allScopes(files) },
      { token: TOKENS.noScope, scopes: [] },
      { token: TOKENS.expired, scopes: await allScopes(files), expiresAt: now - 1000 },
      { token: TOKENS.toRevoke, scopes: await allScopes(files) },
    ],
    basicUsers: [BASIC_USER],
    apiKeys: [{ key: API_KEY, scheme: 'apiKeyHeader' }],
  };
}

export const basicHeader = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A request the spec accepts for `op`: its path filled, required query and headers, a body. */
export function validRequest(op: ServedOperation): { path: string; headers: Record<string, string>; body?: string } {
  const random = seededRandom(7);
  const doc: OpenApiDocument = op.doc;
  const value = (p: { example?: unknown; schema?: unknown }) => p.example ?? sampleOf(doc, p.schema ?? { type: 'string' }, random);
  let path = op.template;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(value(p))));
    else if (p.in === 'query' && p.required) query.set(p.name, String(value(p)));
    else if (p.in === 'header' && p.required) headers[p.name] = String(value(p));
  }
  const basePath = new URL((doc.servers?.[0]?.url ?? '/'), 'http://x').pathname.replace(/\/$/, '');
  const requestBody = resolveRef(doc, op.operation.requestBody) as { content?: Record<string, { schema?: unknown }> } | undefined;
  const media = requestBody?.content?.['application/json'];
  const search = query.toString();
  const result = { path: `${basePath}${path}${search ? `?${search}` : ''}`, headers };
  if (media?.schema === undefined) return result;
  headers['content-type'] = 'application/json';
  return { ...result, body: JSON.stringify(sampleOf(doc, media.schema, random)) };
}

/** The schemes of an operation, by kind of credential. */
export function schemeKinds(op: ServedOperation, schemes: Record<string, { type: string; scheme?: string }>) {
  const kinds = (requirement: Requirement) => Object.keys(requirement).map((name) => {
    const s = schemes[name]!;
    return s.type === 'http' ? (s.scheme ?? '').toLowerCase() : s.type === 'apiKey' ? 'apiKey' : 'bearer';
  });
  return {
    open: op.security.length === 0 || op.security.some((r) => Object.keys(r).length === 0),
    acceptsBearer: op.security.some((r) => kinds(r).includes('bearer')),
    /** Scopes of the bearer alternatives, when every one needs some (so a scope-less token is refused). */
    scoped: op.security.every((r) => !kinds(r).includes('bearer') || Object.values(r).some((scopes) => scopes.length > 0)) && op.security.some((r) => kinds(r).includes('bearer')),
    /** Headers meeting the first alternative. */
    valid: (() => {
      const headers: Record<string, string> = {};
      const first = op.security.find((r) => Object.keys(r).length > 0) ?? {};
      for (const name of Object.keys(first)) {
        const s = schemes[name]!;
        if (s.type === 'http' && s.scheme?.toLowerCase() === 'basic') headers.authorization = basicHeader(BASIC_USER.username, BASIC_USER.password);
        else if (s.type === 'apiKey') headers[(s as { name?: string }).name!.toLowerCase()] = API_KEY;
        else headers.authorization = `Bearer ${TOKENS.all}`;
      }
      return headers;
    })(),
  };
}
