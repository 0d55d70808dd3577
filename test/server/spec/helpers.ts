import { join } from 'node:path';
import { loadSpecDocument, type OpenApiDocument } from '../../../tokensmith-server/src/generate/document';
import { resolveRef } from '../../../tokensmith-server/src/generate/refs';
import type { Requirement, ServedOperation } from '../../../tokensmith-server/src/server/spec/operations';
import { sampleOf, seededRandom } from '../../../tokensmith-server/src/server/spec/sample';
import type { SpecServerConfigInput } from '../../../tokensmith-server/src/server/spec/config';

export const SPECS_DIR = join(process.cwd(), 'test', 'fixtures', 'specs');
export const ABLY_LIKE = join(SPECS_DIR, 'ably-platform-like.yaml');
export const METQUAY_LIKE = join(SPECS_DIR, 'pymetquay-like.yaml');
/** Helper D's any-scheme fixture (issue 20): every scheme kind, AND, OR, `{}`, a digest-only operation. */
export const ANY_SCHEME = join(SPECS_DIR, 'any-scheme.yaml');

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
    apiKeys: [{ key: API_KEY }],
  };
}

export const basicHeader = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A request the spec accepts for `op`: its path filled, required query and headers, a body. */
export function validRequest(op: ServedOperation, credentials: Placed = { headers: {}, query: {} }): { path: string; headers: Record<string, string>; body?: string } {
  const random = seededRandom(7);
  const doc: OpenApiDocument = op.doc;
  const value = (p: { example?: unknown; schema?: unknown }) => p.example ?? sampleOf(doc, p.schema ?? { type: 'string' }, random);
  let path = op.template;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(value(p))));
    else if (p.in === 'query' && p.required) query.set(p.name, String(value(p)));
    else if (p.in === 'header' && p.required && !['authorization', 'accept', 'content-type'].includes(p.name.toLowerCase())) headers[p.name.toLowerCase()] = String(value(p));
  }
  const basePath = new URL((doc.servers?.[0]?.url ?? '/'), 'http://x').pathname.replace(/\/$/, '');
  const requestBody = resolveRef(doc, op.operation.requestBody) as { content?: Record<string, { schema?: unknown }> } | undefined;
  const media = requestBody?.content?.['application/json'];
  for (const [name, value] of Object.entries(credentials.query)) query.set(name, value);
  Object.assign(headers, credentials.headers);
  const search = query.toString();
  const result = { path: `${basePath}${path}${search ? `?${search}` : ''}`, headers };
  if (media?.schema === undefined) return result;
  headers['content-type'] = 'application/json';
  return { ...result, body: JSON.stringify(sampleOf(doc, media.schema, random)) };
}

type SchemeObject = { type: string; scheme?: string; name?: string; in?: string };

/** Credentials placed on a request: headers and query parameters. */
export interface Placed {
  headers: Record<string, string>;
  query: Record<string, string>;
}

const kindOf = (s: SchemeObject): 'basic' | 'bearer' | 'apiKey' | 'unsupported' => {
  if (s.type === 'http') return s.scheme?.toLowerCase() === 'basic' ? 'basic' : s.scheme?.toLowerCase() === 'bearer' ? 'bearer' : 'unsupported';
  if (s.type === 'apiKey') return 'apiKey';
  return s.type === 'oauth2' || s.type === 'openIdConnect' ? 'bearer' : 'unsupported';
};

function place(schemes: Record<string, SchemeObject>, requirement: Requirement, bearer: string, basic: string, apiKey: string): Placed {
  const placed: Placed = { headers: {}, query: {} };
  for (const name of Object.keys(requirement)) {
    const s = schemes[name]!;
    const kind = kindOf(s);
    if (kind === 'basic') placed.headers.authorization = basic;
    else if (kind === 'bearer') placed.headers.authorization = bearer;
    else if (kind === 'apiKey' && s.in === 'query') placed.query[s.name!] = apiKey;
    else if (kind === 'apiKey' && s.in === 'cookie') placed.headers.cookie = `${s.name}=${apiKey}`;
    else if (kind === 'apiKey') placed.headers[s.name!.toLowerCase()] = apiKey;
  }
  return placed;
}

/**
 * How to call an operation: whether it is open, or can never be met (only schemes the server
 * cannot check); a valid credential set (its first bearer alternative, else its first one it can
 * meet); bad ones of the same shape (forged, expired, revoked token; wrong password or key); and
 * whether a scope-less token (sent alone) must get 403: every bearer alternative needs a scope.
 */
export function credentialPlan(op: ServedOperation, schemes: Record<string, SchemeObject>) {
  const goodBasic = basicHeader(BASIC_USER.username, BASIC_USER.password);
  const meetable = op.security.filter((r) => Object.keys(r).every((name) => kindOf(schemes[name]!) !== 'unsupported'));
  const bearerAlternatives = meetable.filter((r) => Object.keys(r).some((name) => kindOf(schemes[name]!) === 'bearer'));
  // A bearer alternative when there is one, so expiry, revocation and scopes are exercised.
  const first = bearerAlternatives[0] ?? meetable.find((r) => Object.keys(r).length > 0) ?? {};
  const kinds = Object.keys(first).map((name) => kindOf(schemes[name]!));
  const bad: Record<string, Placed> = kinds.includes('bearer')
    ? {
        forged: place(schemes, first, `Bearer forged-${TOKENS.all}x`, goodBasic, API_KEY),
        expired: place(schemes, first, `Bearer ${TOKENS.expired}`, goodBasic, API_KEY),
        revoked: place(schemes, first, `Bearer ${TOKENS.toRevoke}`, goodBasic, API_KEY),
      }
    : kinds.includes('basic')
      ? { forged: place(schemes, first, '', basicHeader(BASIC_USER.username, 'forged'), API_KEY), unknownUser: place(schemes, first, '', basicHeader('nobody', BASIC_USER.password), API_KEY) }
      : { forgedKey: place(schemes, first, '', goodBasic, 'forged-key') };
  return {
    open: op.security.length === 0 || op.security.some((r) => Object.keys(r).length === 0),
    unmeetable: op.security.length > 0 && meetable.length === 0,
    acceptsBearer: kinds.includes('bearer'),
    scoped: bearerAlternatives.length > 0 && bearerAlternatives.every((r) => Object.entries(r).some(([name, scopes]) => kindOf(schemes[name]!) === 'bearer' && scopes.length > 0)),
    valid: place(schemes, first, `Bearer ${TOKENS.all}`, goodBasic, API_KEY),
    lacking: place(schemes, first, `Bearer ${TOKENS.noScope}`, goodBasic, API_KEY),
    bad,
  };
}
