import type { Middleware } from 'openapi-fetch';
import { InvalidArgumentError } from '../errors';
import { refuseUnset } from '../options';
import type { Logger } from '../logger';
import { ApiKeyCredential, type ApiKeySource } from './api-key';
import { BasicCredential, type BasicCredentials } from './basic';
import { BearerCredential, type BearerSource } from './bearer';
import { isSchemeProvider, isTokenManager } from './credential';
import { createSchemeMiddleware } from './middleware';
import { checkedResolver, unmetRefusal } from './refuse';
import { requirementsOf, schemeKind, unmetRequirement, unsupportedReason } from './requirements';
import type { MissingCredentials } from './complete';
import type { AnySchemeProvider, SchemeKind, SchemeProvider, SecuritySchemeMap, SecuritySchemeObject, SpecSecurityMap } from './types';

/** The scheme kind TypeScript can read off a generated (`as const`) scheme object; every kind when it cannot tell. */
export type SchemeKindOf<S> = S extends { readonly type: 'http'; readonly scheme: infer H extends string }
  ? Lowercase<H> extends 'basic'
    ? 'basic'
    : Lowercase<H> extends 'bearer'
      ? 'bearer'
      : string extends H
        ? 'basic' | 'bearer' | 'http'
        : 'http'
  : S extends { readonly type: infer T extends string }
    ? T extends 'apiKey' | 'oauth2' | 'openIdConnect' | 'mutualTLS'
      ? T
      : string extends T
        ? SchemeKind
        : never
    : SchemeKind;

/** What can be configured for a scheme of kind `K`. */
export type CredentialFor<K extends SchemeKind> = K extends 'basic'
  ? BasicCredentials | SchemeProvider<'basic'>
  : K extends 'bearer' | 'oauth2' | 'openIdConnect'
    ? BearerSource | SchemeProvider<K>
    : K extends 'apiKey'
      ? ApiKeySource | SchemeProvider<'apiKey'>
      : K extends 'mutualTLS'
        ? SchemeProvider<'mutualTLS'>
        : never;

/**
 * Credentials by scheme name, typed from the generated `securitySchemes`: a name the spec does not
 * declare, or a credential of the wrong kind, does not compile. `undefined` (an unset environment
 * variable) compiles and is refused at construction (40106).
 */
export type SpecCredentials<S extends SecuritySchemeMap> = {
  readonly [N in keyof S]?: CredentialFor<SchemeKindOf<S[N]>> | undefined;
};

/** Names in `C` the map does not declare are `never`, so a misspelt scheme name does not compile. */
export type NoOtherNames<C, S> = { readonly [K in Exclude<keyof C, keyof S>]: never };

/**
 * `unknown` when every operation of `M` has an alternative `C` covers (or `partial: true` is
 * given); otherwise the schemes still needed are required properties of `credentials`, so the
 * compile error names them.
 */
export type Complete<M extends SpecSecurityMap, C> = [MissingCredentials<M, keyof C>] extends [never]
  ? unknown
  : { partial: true } | { credentials: { readonly [K in MissingCredentials<M, keyof C>]-?: CredentialFor<SchemeKindOf<M['securitySchemes'][K]>> } };

/** Options of {@link createSpecAuth}. */
export interface SpecAuthOptions<S extends SecuritySchemeMap> {
  /** A credential per scheme name, as the generated file names them. */
  credentials: SpecCredentials<S>;
  /** The server relative scheme URLs (an OAuth2 `tokenUrl`) resolve against; default the map's `defaultServerUrl`. */
  serverUrl?: string | undefined;
  /**
   * false (default): an operation whose requirement needs a scheme you configured no credential
   * for is refused at construction (40003 naming operation and scheme). true: such operations are
   * refused only when called (40106), before the network.
   */
  partial?: boolean | undefined;
  /** Pino-shaped logger; silent by default. Never sees a credential or a URL. */
  logger?: Logger | undefined;
}

/** Auth for every operation of one spec, built by {@link createSpecAuth}. */
export interface SpecAuth {
  /** openapi-fetch middleware: authenticates each operation as its requirement says. Register it last. */
  readonly middleware: Middleware;
  /** The configured scheme names; never a credential. */
  toJSON(): { schemes: string[] };
}

/**
 * Auth for a client of any spec: give a credential per scheme name of the generated
 * `<name>.security.ts`, and every operation gets exactly what its requirement asks.
 *
 * - AND: every scheme of the chosen alternative is applied. OR: the first alternative, in the
 *   spec's order, whose schemes you configured. `{}`: optional. `security: []`: nothing sent. No
 *   scheme the operation does not list is ever sent.
 * - An operation only an unsupported scheme (http digest, …) can call is refused when called
 *   (40106, naming operation and scheme), before any network.
 *
 * @throws {InvalidArgumentError} 40003 naming the scheme: a name the map does not declare, a
 * credential of the wrong kind, or (unless `partial`) an operation none of whose alternatives
 * you configured. {@link ConfigurationError} 40106 for a credential that is `undefined`.
 * @example
 * ```ts
 * import { createSpecAuth } from 'tokensmith';
 * import { createApiClient } from 'tokensmith/client';
 * import type { paths } from './generated/petstore';
 * import * as security from './generated/petstore.security';
 *
 * const auth = createSpecAuth(security, { credentials: { bearerAuth: tokenManager, apiKeyHeader: process.env.PETSTORE_KEY } });
 * const petstore = createApiClient<paths>(security.defaultServerUrl, { middleware: [auth.middleware] });
 * ```
 */
export function createSpecAuth<const M extends SpecSecurityMap, const C extends SpecCredentials<M['securitySchemes']>>(
  security: M,
  options: SpecAuthOptions<M['securitySchemes']> & { credentials: C & NoOtherNames<C, M['securitySchemes']> } & Complete<M, C>,
): SpecAuth {
  const schemes = security?.securitySchemes;
  if (!schemes || typeof schemes !== 'object') throw new InvalidArgumentError(40003, '"securitySchemes" must be an object');
  const given = options?.credentials;
  if (typeof given !== 'object' || given === null) throw new InvalidArgumentError(40003, '"credentials" must be an object of credentials by scheme name');
  const providers = new Map<string, AnySchemeProvider>();
  for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
    const scheme = Object.hasOwn(schemes, name) ? schemes[name] : undefined;
    if (!scheme) throw new InvalidArgumentError(40003, `credentials."${name}" names no scheme of securitySchemes (${Object.keys(schemes).join(', ') || 'none'})`);
    providers.set(name, toProvider(name, scheme, refuseUnset(value, `credentials."${name}"`)));
  }
  if (options.partial !== true) refuseUnconfigured(security, providers);
  const middleware = createSchemeMiddleware(security, {
    resolve: checkedResolver((name) => providers.get(name)),
    serverUrl: options.serverUrl ?? (typeof security.defaultServerUrl === 'string' ? security.defaultServerUrl : undefined),
    onUnmet: unmetRefusal(security, (name) => providers.has(name)),
    logger: options.logger,
  });
  const names = [...providers.keys()];
  return Object.freeze({ middleware, toJSON: () => ({ schemes: [...names] }) });
}

function toProvider(name: string, scheme: SecuritySchemeObject, value: unknown): AnySchemeProvider {
  const label = `credentials."${name}"`;
  if (isSchemeProvider(value)) return value;
  const unsupported = unsupportedReason(scheme);
  if (unsupported !== undefined) throw new InvalidArgumentError(40003, `${label}: tokensmith cannot send scheme "${name}": ${unsupported}`);
  // Supported, so basic, bearer, oauth2, openIdConnect, apiKey or mutualTLS.
  const kind = schemeKind(scheme);
  if (kind === 'basic') return new BasicCredential(value as BasicCredentials, label);
  const keyOrFunction = typeof value === 'string' || typeof value === 'function';
  if (kind === 'apiKey') {
    if (keyOrFunction) return new ApiKeyCredential(value as ApiKeySource, label);
  } else if (kind !== 'mutualTLS' && (keyOrFunction || isTokenManager(value))) {
    return new BearerCredential(value as BearerSource, label);
  }
  throw new InvalidArgumentError(40003, `${label} is not a credential for a ${kind} scheme`);
}

/** 40003 naming the first operation (and scheme) that no configured alternative can authenticate. */
function refuseUnconfigured(security: SpecSecurityMap, providers: ReadonlyMap<string, AnySchemeProvider>): void {
  const schemes = security.securitySchemes;
  const configured = (schemeName: string) => providers.has(schemeName);
  for (const [operation, alternatives] of Object.entries(security.operationSecurity ?? {})) {
    if (unmetRequirement(operation, alternatives, schemes, configured) === undefined) continue;
    // None is met. Only alternatives tokensmith could send count (the others are refused when
    // called): the first of them names its first unconfigured scheme.
    for (const requirement of requirementsOf(operation, alternatives)) {
      if (unmetRequirement(operation, [requirement], schemes) !== undefined) continue;
      const missing = Object.keys(requirement).find((n) => !configured(n));
      throw new InvalidArgumentError(40003, `${operation} needs scheme "${missing}", which has no credential; add credentials."${missing}", or pass partial: true to refuse such operations only when called`);
    }
  }
}
