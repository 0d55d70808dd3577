import { InvalidArgumentError } from '../core/errors';
import { refuseUnset } from '../core/options';
import type { OAuth2TokenManagerOptions } from './client-credentials';
import type { OAuth2ClientAuthMethod } from './types';

/** Options shared by the OAuth2 providers. */
export interface OAuth2ClientOptions {
  /** The client identifier (public). `undefined` (an unset variable) is refused with 40106. */
  clientId: string | undefined;
  /** How the client authenticates at the token endpoint. Default `client_secret_basic`, which every server must support. */
  authMethod?: OAuth2ClientAuthMethod | undefined;
  /** Token endpoint, overriding the spec's; relative ones resolve against the server URL. */
  tokenUrl?: string | undefined;
  /** The fetch token requests use. Default the global fetch. */
  fetch?: typeof globalThis.fetch | undefined;
  /** TokenManager options for each cached token (refresh margin, retry, timeouts, clock, logger). */
  tokenManager?: OAuth2TokenManagerOptions | undefined;
  /** Whether a response means the token was refused. Default: 401 with `WWW-Authenticate: Bearer error="invalid_token"`. Do not consume the body. */
  isRejection?: ((response: Response) => boolean) | undefined;
}

const METHODS: readonly string[] = ['client_secret_basic', 'client_secret_post'];

/** Checks the shared options, naming the option (never its value) on failure. */
export function checkClientOptions<O extends OAuth2ClientOptions>(options: O, owner: string): asserts options is O & { clientId: string } {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(40003, `${owner} options must be an object`);
  refuseUnset(options.clientId, `${owner} "clientId"`);
  if (typeof options.clientId !== 'string' || options.clientId === '') throw new InvalidArgumentError(40003, `${owner} "clientId" must be a non-empty string`);
  if (options.authMethod !== undefined && !METHODS.includes(options.authMethod)) {
    throw new InvalidArgumentError(40003, `${owner} "authMethod" must be client_secret_basic or client_secret_post`);
  }
  if (options.tokenUrl !== undefined && (typeof options.tokenUrl !== 'string' || options.tokenUrl === '')) {
    throw new InvalidArgumentError(40003, `${owner} "tokenUrl" must be a non-empty string`);
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new InvalidArgumentError(40003, `${owner} "fetch" must be a function`);
  if (options.isRejection !== undefined && typeof options.isRejection !== 'function') throw new InvalidArgumentError(40003, `${owner} "isRejection" must be a function`);
}
