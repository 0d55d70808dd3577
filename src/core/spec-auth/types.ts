/**
 * The contract between the spec-auth engine and a credential provider: the engine reads a
 * generated security map, picks for each operation the requirement to meet, and hands each
 * scheme of it to the provider configured under that scheme's name. The provider owns the
 * request: it sets headers, a cookie, or returns a new Request (query placement).
 */

/** The kinds of scheme a provider can serve; an http scheme other than basic or bearer is `http`. */
export type SchemeKind = 'basic' | 'bearer' | 'http' | 'apiKey' | 'oauth2' | 'openIdConnect' | 'mutualTLS';

/** One OAuth2 flow as the spec declares it (URLs exactly as written; relative ones resolve against the server URL). */
export interface OAuthFlowObject {
  readonly tokenUrl?: string;
  readonly refreshUrl?: string;
  readonly authorizationUrl?: string;
  readonly scopes?: Readonly<Record<string, string>>;
}

/** A `components.securitySchemes` entry as `tokensmith generate` writes it (`as const`). */
export interface SecuritySchemeObject {
  readonly type: string;
  /** http: `basic`, `bearer`, `digest`, … (case-insensitive). */
  readonly scheme?: string;
  readonly bearerFormat?: string;
  /** apiKey: the header, query parameter or cookie name. */
  readonly name?: string;
  /** apiKey: `header`, `query` or `cookie`. */
  readonly in?: string;
  readonly flows?: {
    readonly clientCredentials?: OAuthFlowObject;
    readonly authorizationCode?: OAuthFlowObject;
    readonly implicit?: OAuthFlowObject;
    readonly password?: OAuthFlowObject;
  };
  readonly openIdConnectUrl?: string;
  readonly description?: string;
}

/** Generated `securitySchemes`: every scheme the spec declares, by name. */
export type SecuritySchemeMap = Readonly<Record<string, SecuritySchemeObject>>;

/** One security requirement object: scheme name → scopes. `{}` means no auth is acceptable. */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/**
 * Generated `operationSecurity`: `"METHOD /path"` → the spec's requirement objects (an OR list of
 * AND objects); `[]` = no auth. The legacy shape (lists of scheme names, `[]` for "none") is
 * accepted too.
 */
export type OperationRequirements = Readonly<Record<string, readonly (SecurityRequirement | readonly string[])[]>>;

/** The generated `<name>.security.ts` module (or an object with these exports). */
export interface SpecSecurityMap {
  readonly operationSecurity: OperationRequirements;
  readonly securitySchemes: SecuritySchemeMap;
  /** The spec's first server URL; relative scheme URLs (an OAuth2 `tokenUrl`) resolve against it. */
  readonly defaultServerUrl?: string;
}

/**
 * One scheme of one operation's requirement, compiled once at construction and frozen: the
 * engine passes the same object on every request, so the warm path allocates nothing.
 */
export interface SchemeUse {
  /** `"GET /items/{id}"`, as the security map keys it. */
  readonly operation: string;
  /** The scheme's name in `securitySchemes` (and in `credentials`). */
  readonly schemeName: string;
  /** The scheme object as the spec declares it. */
  readonly scheme: SecuritySchemeObject;
  /** The scheme's kind, worked out from `scheme`. */
  readonly kind: SchemeKind;
  /** The scopes this operation's requirement lists for the scheme (often empty). */
  readonly scopes: readonly string[];
  /** The server URL relative scheme URLs resolve against (`serverUrl` option, else `defaultServerUrl`); undefined when neither is known. */
  readonly serverUrl: string | undefined;
}

/** The kinds a provider serves, as an object type so that a provider serving more kinds fits where fewer are asked for. */
export type SchemeKinds<K extends SchemeKind> = { readonly [P in K]: true };

/**
 * A credential provider for one or more scheme kinds. Configure it under a scheme's name in
 * `createSpecAuth(security, { credentials })`.
 *
 * - `apply` authenticates `request` for one scheme of the chosen requirement: set a header or a
 *   cookie on it and return nothing, or return a new Request (query placement needs a new URL).
 *   Return synchronously when the credential is warm; the engine then stays synchronous.
 * - `isRejection` / `renew`: token schemes only. After a response `isRejection` calls rejected,
 *   the engine awaits `renew(use, sent)` (`sent` is the request that was refused, to tell which
 *   token it carried), then re-applies every scheme of the requirement to a copy of the request
 *   taken before the first send and sends it once more (never a second time; a stream body is
 *   not re-sent: RequestNotReplayableError).
 */
export interface SchemeProvider<K extends SchemeKind = SchemeKind> {
  /** The scheme kinds this provider can authenticate; checked at construction (40003 naming the scheme otherwise). */
  readonly kinds: SchemeKinds<K>;
  /** Called once per scheme use at construction: check the scheme object, prepare per-scope state. Throw an InvalidArgumentError (40003) naming `use.schemeName` when it cannot serve it. */
  prepare?(use: SchemeUse): void;
  /** Whether the provider can serve `use` right now (default: yes). An OR alternative whose providers cannot is skipped for the next. */
  available?(use: SchemeUse): boolean;
  /** Authenticates `request` for `use`. */
  apply(request: Request, use: SchemeUse): void | Request | Promise<void | Request>;
  /** True when `response` says this scheme's credential was refused. Do not consume the body (use `response.clone()`). */
  isRejection?(response: Response, use: SchemeUse): boolean | Promise<boolean>;
  /** Renews after `sent` was refused; only if the credential in `sent` is still the current one. */
  renew?(use: SchemeUse, sent: Request): Promise<void>;
}

/** A provider of whatever kinds: what the engine holds (its `kinds` are checked against each scheme at construction). */
export type AnySchemeProvider = SchemeProvider<never>;
