import { Buffer } from 'node:buffer';
import { Agent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { createSecureContext } from 'node:tls';
import { ConfigurationError, InvalidArgumentError } from '../core/errors';
import { networkFailure, safeUrl } from '../core/http';
import { refuseUnset, withoutUndefined } from '../core/options';
import { Credential } from '../core/spec-auth/credential';
import type { SchemeKinds, SchemeProvider, SchemeUse } from '../core/spec-auth/types';
import type { MutualTlsOptions } from './mutual-tls';

const NULL_BODY_STATUSES = /* @__PURE__ */ new Set([101, 103, 204, 205, 304]);

/**
 * A `mutualTLS` scheme's credential under Node: the client certificate, presented by its `fetch`
 * (node:https with a keep-alive Agent holding the certificate; Node 20's global fetch takes no
 * client certificate without the undici package). Give that fetch to the client and configure the
 * credential under the scheme's name:
 *
 * @example
 * ```ts
 * const mtls = new MutualTlsCredential({ cert: readFileSync('client.pem'), key: readFileSync('client.key') });
 * const auth = createSpecAuth(security, { credentials: { clientCert: mtls } });
 * const api = createApiClient<paths>(security.defaultServerUrl, { fetch: mtls.fetch, middleware: [auth.middleware] });
 * ```
 */
export class MutualTlsCredential extends Credential implements SchemeProvider<'mutualTLS'> {
  readonly label = 'MutualTlsCredential';
  readonly kinds: SchemeKinds<'mutualTLS'> = Object.freeze({ mutualTLS: true } as const);
  /** The fetch that presents the certificate; pass it to the client (`createApiClient(url, { fetch })`). */
  readonly fetch: typeof globalThis.fetch;
  readonly #agent: Agent;

  constructor(options: MutualTlsOptions) {
    super();
    const pem = (value: unknown) => typeof value === 'string' || value instanceof Uint8Array;
    const shape = () => new InvalidArgumentError(40003, 'MutualTlsCredential needs "cert" and "key" as PEM strings or bytes');
    if (options === null || typeof options !== 'object') throw shape();
    const cert = refuseUnset(options.cert, 'MutualTlsCredential "cert"');
    const key = refuseUnset(options.key, 'MutualTlsCredential "key"');
    if (!pem(cert) || !pem(key)) throw shape();
    const toBuffer = (value: string | Uint8Array) => (typeof value === 'string' ? value : Buffer.from(value));
    const ca = options.ca === undefined ? undefined : (Array.isArray(options.ca) ? options.ca : [options.ca]).map(toBuffer);
    const tlsOptions = withoutUndefined({ cert: toBuffer(cert), key: toBuffer(key), passphrase: options.passphrase, ca });
    try {
      // Reads the PEM now, so a bad certificate or key fails here rather than on the first call.
      createSecureContext(tlsOptions);
      this.#agent = new Agent({ ...tlsOptions, keepAlive: true });
    } catch {
      throw new InvalidArgumentError(40003, 'MutualTlsCredential "cert" or "key" could not be read as PEM (or the passphrase is wrong)');
    }
    const agent = this.#agent;
    this.fetch = (input, init) => sendWithCertificate(agent, new Request(input, init));
  }

  /** The certificate is on the connection, not the request: only checks that the request goes over TLS. */
  apply(request: Request, use: SchemeUse): void {
    if (!request.url.startsWith('https:')) {
      throw new ConfigurationError(40106, `${use.operation} needs mutualTLS (scheme "${use.schemeName}"), which needs https; the request goes to ${safeUrl(request.url)}`);
    }
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }
}

async function sendWithCertificate(agent: Agent, request: Request): Promise<Response> {
  if (!request.url.startsWith('https:')) throw new ConfigurationError(40106, `mutualTLS needs https; refused ${safeUrl(request.url)}`);
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return new Promise<Response>((resolve, reject) => {
    const outgoing = httpsRequest(request.url, { method: request.method, headers, agent, signal: request.signal }, (incoming) => {
      const answer = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (Array.isArray(value)) for (const item of value) answer.append(name, item);
        else if (value !== undefined) answer.set(name, value);
      }
      const status = incoming.statusCode ?? 502;
      const empty = NULL_BODY_STATUSES.has(status) || request.method === 'HEAD';
      if (empty) incoming.resume();
      resolve(new Response(empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), { status, statusText: incoming.statusMessage ?? '', headers: answer }));
    });
    outgoing.on('error', (error) => {
      reject(request.signal.aborted ? (request.signal.reason ?? error) : networkFailure(error, 'mutualTLS request', `${request.method} ${safeUrl(request.url)}`, []));
    });
    outgoing.end(body);
  });
}
