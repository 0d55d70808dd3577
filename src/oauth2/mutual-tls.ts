import { ConfigurationError } from '../core/errors';
import { Credential } from '../core/spec-auth/credential';
import type { SchemeKinds, SchemeProvider, SchemeUse } from '../core/spec-auth/types';

/**
 * Options of {@link MutualTlsCredential}: the client certificate, PEM. `cert` and `key` accept
 * `undefined` (`process.env.X` as is) and refuse it with 40106 naming the option.
 */
export interface MutualTlsOptions {
  /** The client certificate (PEM), with any intermediates after it. */
  cert: string | Uint8Array | undefined;
  /** Its private key (PEM). Kept private; never printed. */
  key: string | Uint8Array | undefined;
  /** The key's passphrase, if it is encrypted. */
  passphrase?: string | undefined;
  /** CA certificates to trust for the server, replacing the default roots (a private CA). */
  ca?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
}

/** Where a mutualTLS client certificate can be presented: only the Node entry's transport. */
export const MUTUAL_TLS_NODE_ONLY =
  'mutualTLS needs a client certificate on the TLS connection, which tokensmith presents only under Node (its node export); in a browser, the browser presents a certificate the user installed, and no script can';

/**
 * A `mutualTLS` scheme's credential (OpenAPI 3.1). Under Node (tokensmith's `node` export) it
 * holds the client certificate and offers `fetch`, which presents it; elsewhere constructing it
 * is a {@link ConfigurationError} 40106 saying why.
 */
export class MutualTlsCredential extends Credential implements SchemeProvider<'mutualTLS'> {
  readonly label = 'MutualTlsCredential';
  readonly kinds: SchemeKinds<'mutualTLS'> = /* @__PURE__ */ Object.freeze({ mutualTLS: true } as const);
  /** The fetch that presents the certificate; pass it to the client (`createApiClient(url, { fetch })`). */
  readonly fetch: typeof globalThis.fetch;

  constructor(options: MutualTlsOptions) {
    super();
    void options;
    throw new ConfigurationError(40106, MUTUAL_TLS_NODE_ONLY);
  }

  apply(_request: Request, _use: SchemeUse): void {}
}
