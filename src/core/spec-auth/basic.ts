import { base64FromUtf8 } from '../base64';
import { InvalidArgumentError } from '../errors';
import { refuseUnset } from '../options';
import { Credential } from './credential';
import { refuseInClear } from './placement';
import type { SchemeKinds, SchemeProvider, SchemeUse } from './types';

/** A user name and password for an http basic scheme. */
export interface BasicCredentials {
  /** `undefined` (an unset environment variable) is refused with 40106. */
  username: string | undefined;
  /** `undefined` (an unset environment variable) is refused with 40106. Never printed. */
  password: string | undefined;
}

/**
 * http basic: `Authorization: Basic base64(username:password)`, refused (40103) over plain http
 * to a host other than loopback.
 */
export class BasicCredential extends Credential implements SchemeProvider<'basic'> {
  readonly label = 'BasicCredential';
  readonly kinds: SchemeKinds<'basic'> = /* @__PURE__ */ Object.freeze({ basic: true } as const);
  readonly #header: string;

  constructor(credentials: BasicCredentials, name = 'credentials') {
    super();
    const { username, password } = (credentials ?? {}) as Partial<BasicCredentials>;
    // Given but undefined (an unset variable) is 40106; any other non-string, 40003.
    if (credentials !== null && typeof credentials === 'object') {
      if ('username' in credentials) refuseUnset(username, `${name}.username`);
      if ('password' in credentials) refuseUnset(password, `${name}.password`);
    }
    if (typeof username !== 'string' || typeof password !== 'string') throw new InvalidArgumentError(40003, `${name} must be { username, password } strings`);
    if (username.includes(':')) throw new InvalidArgumentError(40003, `${name}.username cannot contain ":" (RFC 7617)`);
    this.#header = `Basic ${base64FromUtf8(`${username}:${password}`)}`;
  }

  apply(request: Request, use: SchemeUse): void {
    refuseInClear(request.url, `Basic auth (scheme "${use.schemeName}")`);
    request.headers.set('Authorization', this.#header);
  }
}

