import { InvalidArgumentError } from '../errors';
import { Credential } from './credential';
import { canPlace, placeApiKey } from './placement';
import type { SchemeKinds, SchemeProvider, SchemeUse } from './types';

/** An API key: a fixed string, or a function called per request. */
export type ApiKeySource = string | (() => string | Promise<string>);

/**
 * An API key, placed as the apiKey scheme says: the `name` header, the `name` query parameter, or
 * the `name` cookie (merged into a Cookie header already on the request). A key carried in the
 * query never appears in tokensmith's errors, logs or printed objects.
 */
export class ApiKeyCredential extends Credential implements SchemeProvider<'apiKey'> {
  readonly label = 'ApiKeyCredential';
  readonly kinds: SchemeKinds<'apiKey'> = /* @__PURE__ */ Object.freeze({ apiKey: true } as const);
  readonly #value: string | undefined;
  readonly #source: (() => string | Promise<string>) | undefined;
  readonly #name: string;

  constructor(source: ApiKeySource, name = 'credentials') {
    super();
    this.#name = name;
    if (typeof source === 'string') {
      if (source === '') throw new InvalidArgumentError(40003, `${name} is an empty key`);
      this.#value = source;
    } else if (typeof source === 'function') {
      this.#source = source;
    } else {
      throw new InvalidArgumentError(40003, `${name} must be a key string or a function returning one`);
    }
  }

  prepare(use: SchemeUse): void {
    if (this.#value !== undefined && !canPlace(String(use.scheme.in), this.#value)) {
      throw new InvalidArgumentError(40003, `${this.#name} holds characters a ${use.scheme.in} value cannot carry (scheme "${use.schemeName}")`);
    }
  }

  apply(request: Request, use: SchemeUse): Request | undefined | Promise<Request | undefined> {
    const { in: placement, name } = use.scheme as { in: string; name: string };
    if (this.#value !== undefined) return placeApiKey(request, placement, name, this.#value);
    const value = this.#source!();
    if (typeof value === 'string') return placeKey(request, placement, name, value, this.#name);
    return value.then((resolved) => placeKey(request, placement, name, resolved, this.#name));
  }
}

function placeKey(request: Request, placement: string, name: string, value: string, label: string): Request | undefined {
  if (typeof value !== 'string' || value === '') throw new InvalidArgumentError(40003, `${label} returned no key`);
  if (!canPlace(placement, value)) throw new InvalidArgumentError(40003, `${label} returned characters a ${placement} value cannot carry`);
  return placeApiKey(request, placement, name, value);
}
