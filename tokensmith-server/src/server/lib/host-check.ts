import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokensmithError } from 'tokensmith';
import { isMetquayPath } from '../admin/faults';
import { pathOf } from '../admin/request-log';
import { isOAuth2Path, oauth2RefusalBody } from '../oauth2/routes';
import { sendAblyError } from './ably-errors';
import { BoundedStore } from './bounded-store';
import { sendWire } from './wire';

/**
 * The server answers only requests addressed to it. A page on a DNS-rebinding domain
 * (`evil.example` resolving to 127.0.0.1) reaches the server from a developer's browser with
 * `Host: evil.example`; refusing names the server does not own stops it driving the routes and
 * the test controls. As Vite's `server.allowedHosts`: loopback names (`localhost` and
 * `*.localhost`), every IP literal (a page cannot rebind one), the name the server listens on,
 * and the configured `allowedHosts` are the server's own names.
 */

/** `true` (any host: no check) or names, each exact or `.example.com` for it and its subdomains. */
export type AllowedHosts = true | readonly string[];

/** Host names the server answers for, beyond its own. Default none. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = Object.freeze([]);

const HOST_NAME = /^\.?[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i;
/** Distinct Host values remembered, and their estimated bytes; past either the oldest verdict goes. */
const MAX_REMEMBERED = 256;
const MAX_REMEMBERED_BYTES = 256 * 1024;

/**
 * Checks the `allowedHosts` config field: `true` or an array of host names (no scheme, port or
 * path; a leading dot covers subdomains).
 * @throws {TypeError} naming the bad entry; the config loader turns it into a 40003.
 */
export function resolveAllowedHosts(input: unknown): AllowedHosts {
  if (input === undefined) return DEFAULT_ALLOWED_HOSTS;
  if (input === true) return true;
  if (!Array.isArray(input)) throw new TypeError('allowedHosts must be true or an array of host names');
  input.forEach((name: unknown, index) => {
    if (typeof name !== 'string' || !(HOST_NAME.test(name) || isIP(name) !== 0)) {
      throw new TypeError(`allowedHosts[${index}] must be a host name such as "dev.example.test" (or ".example.test" for its subdomains), without scheme or port`);
    }
  });
  return input.map((name: string) => name.toLowerCase());
}

/**
 * A predicate over `Host` header values: true when the name (port dropped) is one of the
 * server's own. Verdicts are remembered per value (bounded in number and bytes: Host values come
 * from the network), so the check costs a Map lookup per request.
 */
export function hostMatcher(listenHost: string, allowed: AllowedHosts): (host: string) => boolean {
  if (allowed === true) return () => true;
  const exact = new Set([normalise(listenHost), ...allowed.filter((name) => !name.startsWith('.'))]);
  const suffixes = ['.localhost', ...allowed.filter((name) => name.startsWith('.'))];
  const verdicts = new BoundedStore<string, boolean>({ maxEntries: MAX_REMEMBERED, maxBytes: MAX_REMEMBERED_BYTES, sizeOf: (host) => 64 + 2 * host.length });
  const judge = (host: string): boolean => {
    const name = hostName(host);
    if (name === 'localhost' || exact.has(name) || isIP(name) !== 0) return true;
    return suffixes.some((suffix) => name.endsWith(suffix) || name === suffix.slice(1));
  };
  return (host) => {
    let verdict = verdicts.get(host);
    if (verdict === undefined) {
      verdict = judge(host);
      verdicts.addAbsent(host, verdict);
    }
    return verdict;
  };
}

/**
 * A global `onRequest` hook, the first: HTTP/1.1 requires `Host` (Node's own refusal is a bare
 * 400, so the server turns it off with `requireHostHeader: false` and answers 40000 in the
 * envelope here), and a `Host` that is not one of the server's names gets 403 (40300) in the
 * envelope of the API the path belongs to: Ably's at the root, Metquay's `{ code, message }`
 * under `/api/v1`, OAuth2's `{ error, error_description }` at the token endpoint and discovery. HTTP/1.0 without a Host is answered: no browser sends one.
 */
export function installHostCheck(app: FastifyInstance, isOwnHost: (host: string) => boolean, answer: HostCheckAnswer = answerByPath): void {
  app.addHook('onRequest', (request, reply, done) => {
    const host = request.headers.host;
    if (host === undefined) {
      if (request.raw.httpVersion !== '1.1') return done();
      reply.header('connection', 'close');
      return void answer(request, reply, 400, 'the Host header is required in HTTP/1.1');
    }
    if (isOwnHost(host)) return done();
    return void answer(request, reply, 403, REFUSAL);
  });
}

/** Sends a refusal (400: no Host; 403: not one of the server's names) in the server's envelope. */
export type HostCheckAnswer = (request: FastifyRequest, reply: FastifyReply, status: 400 | 403, message: string) => FastifyReply;

const REFUSAL =
  'the Host header names a host this server does not answer for (DNS rebinding protection); ' +
  'add the name to allowedHosts in the config, or start the server with --allowed-host <name>';

/** The auth server's envelopes: Metquay's under /api/v1, OAuth2's at its endpoints, Ably's elsewhere. */
function answerByPath(request: FastifyRequest, reply: FastifyReply, status: 400 | 403, message: string): FastifyReply {
  const path = pathOf(request.url);
  if (isMetquayPath(path)) return sendWire(reply, status, { code: status, message }, 'json');
  if (isOAuth2Path(path)) {
    return sendWire(reply, status, oauth2RefusalBody(status, message), 'json');
  }
  if (status === 400) return sendAblyError(request, reply, new TokensmithError(40000, message));
  return sendAblyError(request, reply, new TokensmithError(40300, message, { statusCode: 403 }));
}

/** The name in a Host value: lower case, port and brackets dropped, no trailing dot. */
function hostName(host: string): string {
  let name = host.trim().toLowerCase();
  if (name.startsWith('[')) {
    const end = name.indexOf(']');
    return end < 0 ? name : name.slice(1, end);
  }
  const colon = name.indexOf(':');
  if (colon >= 0 && colon === name.lastIndexOf(':')) name = name.slice(0, colon);
  return normalise(name);
}

function normalise(name: string): string {
  const lower = name.toLowerCase().replace(/^\[|\]$/g, '');
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
