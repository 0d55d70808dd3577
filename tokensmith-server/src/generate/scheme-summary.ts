import type { OAuthFlowObject, SecuritySchemeObject } from './document';
import { schemeProblem } from './supported-security';

const FLOW_NAMES: Record<string, string> = {
  clientCredentials: 'Client credentials',
  authorizationCode: 'Authorization code',
  implicit: 'Implicit',
  password: 'Password',
};

/**
 * One markdown line saying what a security scheme sends and where, for the docs' Authorization
 * section: the header, query parameter or cookie; an oauth2 scheme's flows with their URLs (a
 * relative one marked as such) and scopes; an OpenID Connect discovery URL; and, for a scheme
 * tokensmith cannot send, that operations needing it alone fail before any network.
 */
export function schemeSummary(scheme: SecuritySchemeObject): string {
  const problem = schemeProblem(scheme);
  if (problem !== undefined) {
    const why = scheme.type === 'http' ? `HTTP ${code(String(scheme.scheme))}: tokensmith sends only HTTP Basic and Bearer` : `${problem}: tokensmith cannot send it`;
    return `${why}, so an operation that accepts nothing else fails before any network.`;
  }
  switch (scheme.type) {
    case 'http':
      return scheme.scheme?.toLowerCase() === 'basic'
        ? 'HTTP Basic: `Authorization: Basic base64(user:password)`.'
        : `HTTP Bearer${scheme.bearerFormat ? ` (${scheme.bearerFormat})` : ''}: \`Authorization: Bearer <token>\`.`;
    case 'apiKey':
      return `API key in the ${code(scheme.name!)} ${scheme.in === 'query' ? 'query parameter' : scheme.in}.`;
    case 'oauth2':
      return `OAuth 2, the access token as \`Authorization: Bearer <token>\`. ${Object.entries(scheme.flows ?? {}).filter(([name]) => !name.startsWith('x-')).map(([name, flow]) => flowSummary(name, flow)).join(' ')}`;
    case 'openIdConnect':
      return `OpenID Connect, the access token as \`Authorization: Bearer <token>\`; discovery document at ${url(scheme.openIdConnectUrl!)}.`;
    default:
      return 'Mutual TLS: a client certificate on the TLS connection (Node only).';
  }
}

function flowSummary(name: string, flow: OAuthFlowObject): string {
  const urls = [
    flow.authorizationUrl === undefined ? '' : `authorization at ${url(flow.authorizationUrl)}`,
    flow.tokenUrl === undefined ? '' : `token from ${url(flow.tokenUrl)}`,
    flow.refreshUrl === undefined ? '' : `refresh at ${url(flow.refreshUrl)}`,
  ].filter(Boolean);
  const scopes = Object.keys(flow.scopes ?? {});
  const listed = scopes.length === 0 ? 'no scopes' : `scopes ${scopes.map(code).join(', ')}`;
  return `${FLOW_NAMES[name] ?? name} flow: ${[...urls, listed].join('; ')}.`;
}

/** A URL in backticks, a relative one marked as resolved against the server URL. */
function url(value: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(value) ? code(value) : `${code(value)} (relative to the server URL)`;
}

function code(value: string): string {
  return `\`${value.replace(/`/g, "'")}\``;
}
