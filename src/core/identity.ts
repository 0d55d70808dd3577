import { InvalidArgumentError } from './errors';
import { sha256Hex } from './sha256';

/** A value allowed in a credential identity: JSON data, no functions. */
export type IdentityPart = string | number | boolean | null | undefined | readonly IdentityPart[] | { readonly [key: string]: IdentityPart };

const SECRET_LOOKING = /secret|password|passwd|private/i;

/**
 * A store key for one credential and the token parameters it asks for: `tokensmith:v1:` plus the
 * SHA-256 of the parts as canonical JSON (keys sorted, `undefined` dropped).
 *
 * Pass only public parts (`keyName`, `accessKey`, ttl, capability, clientId, server URL, a provider
 * name): the hash keeps keys short, not secret. Part names that look like secrets (`secret`,
 * `password`, `private`) are refused. SHA-256 rather than a small hash such as FNV-1a because
 * token parameters like `clientId` may be chosen by an end user, and a shared store must not let
 * anyone craft a collision that hands them another credential's token; it is implemented in pure
 * JS and synchronously so a provider can compute its key in a constructor without `node:crypto`
 * or Web Crypto. The providers derive their keys with it through the store they are given, so it
 * is bundled only with a store.
 *
 * @example
 * ```ts
 * const storeKey = credentialIdentity({ provider: 'ably', keyName, clientId, capability, ttl });
 * ```
 */
export function credentialIdentity(parts: { readonly [key: string]: IdentityPart }): string {
  return `tokensmith:v1:${sha256Hex(identityText(parts))}`;
}

function identityText(parts: { readonly [key: string]: IdentityPart }): string {
  if (parts === null || typeof parts !== 'object' || Array.isArray(parts)) {
    throw new InvalidArgumentError(40003, '"parts" must be an object of public identity fields');
  }
  return canonicalJson(parts, '');
}

function canonicalJson(value: IdentityPart, path: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidArgumentError(40003, `identity part "${path}" must be a finite number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item, i) => canonicalJson(item as IdentityPart, `${path}[${i}]`)).join(',')}]`;
  if (typeof value !== 'object') throw new InvalidArgumentError(40003, `identity part "${path}" must be JSON data`);
  const fields: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const name = path ? `${path}.${key}` : key;
    if (SECRET_LOOKING.test(key)) {
      throw new InvalidArgumentError(40003, `identity part "${name}" looks like a secret; identities must hold public parts only`);
    }
    const item = (value as { readonly [key: string]: IdentityPart })[key];
    if (item !== undefined) fields.push(`${JSON.stringify(key)}:${canonicalJson(item, name)}`);
  }
  return `{${fields.join(',')}}`;
}
