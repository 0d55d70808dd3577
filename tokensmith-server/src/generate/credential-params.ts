import type { OpenApiDocument, SecuritySchemeObject } from './document';
import { listOperations, type ParameterObject } from './operations';
import { resolveRef } from './refs';
import { schemeProblem } from './supported-security';

/** Where a credential travels: `header authorization`, `query api_key`, `cookie session`. */
type CredentialSlot = string;

/**
 * A copy of `doc` in which every required parameter that carries a credential the auth supplies is
 * optional, so the generated types let callers leave it out (openapi-ts #2073): an `Authorization`
 * header where the operation's security uses an http, oauth2 or openIdConnect scheme, and an
 * apiKey's own header, query or cookie parameter where it uses that apiKey. Only schemes
 * tokensmith can send count; every other parameter is left alone. A `$ref`'d or path-level
 * parameter gets an operation-level copy, so operations that share it keep theirs.
 *
 * @returns the copy and the `"METHOD /path"` of each changed operation; `doc` itself when nothing changed.
 */
export function relaxCredentialParameters(doc: OpenApiDocument): { doc: OpenApiDocument; relaxed: string[] } {
  const copy = structuredClone(doc);
  const relaxed: string[] = [];
  for (const { key, method, path, operation } of listOperations(doc)) {
    const slots = credentialSlots(doc, operation.security ?? doc.security ?? []);
    const targets = (operation.parameters ?? []).filter((p) => p.required === true && p.in !== 'path' && slots.has(slotOf(p.in, p.name)));
    if (targets.length === 0) continue;
    const raw = copy.paths![path]![method.toLowerCase()] as { parameters?: unknown[] };
    const own = (raw.parameters ?? []).filter((p) => !targets.some((t) => sameParameter(resolveRef(doc, p) as ParameterObject, t)));
    raw.parameters = [...own, ...targets.map((t) => ({ ...structuredClone(t), required: false }))];
    relaxed.push(key);
  }
  return relaxed.length === 0 ? { doc, relaxed } : { doc: copy, relaxed };
}

/** Every slot a scheme of any of `requirements` fills, for the schemes tokensmith can send. */
function credentialSlots(doc: OpenApiDocument, requirements: readonly Record<string, string[]>[]): Set<CredentialSlot> {
  const slots = new Set<CredentialSlot>();
  const declared = doc.components?.securitySchemes ?? {};
  for (const name of requirements.flatMap((requirement) => Object.keys(requirement ?? {}))) {
    const scheme = resolveRef(doc, declared[name]) as SecuritySchemeObject | undefined;
    if (!scheme || schemeProblem(scheme) !== undefined) continue;
    if (scheme.type === 'apiKey') slots.add(slotOf(scheme.in!, scheme.name!));
    else if (scheme.type !== 'mutualTLS') slots.add(slotOf('header', 'Authorization'));
  }
  return slots;
}

/** Header names compare case-insensitively (RFC 9110 §5.1); query and cookie names exactly. */
function slotOf(location: string, name: string): CredentialSlot {
  return `${location} ${location === 'header' ? name.toLowerCase() : name}`;
}

function sameParameter(a: ParameterObject | undefined, b: ParameterObject): boolean {
  return a !== undefined && a.in === b.in && slotOf(a.in, a.name) === slotOf(b.in, b.name);
}
