import type { OpenApiDocument, SecuritySchemeObject } from './document';
import { GenerateError } from './errors';
import { listOperations } from './operations';
import { resolveRef } from './refs';

/**
 * Refuses a spec whose security tokensmith could not honour at run time: an operation that names
 * an undeclared scheme, or one that can only be called with a scheme tokensmith cannot send
 * (anything but http basic and bearer, or two schemes at once). An operation that also accepts
 * basic, bearer or no auth passes: the middleware uses that alternative.
 *
 * These are the same rules the auth middleware applies when it compiles the map, checked here so
 * the user hears about them when generating, with advice, rather than when a client is built.
 */
export function checkSecurity(doc: OpenApiDocument): void {
  const declared = doc.components?.securitySchemes ?? {};
  for (const { key, operation } of listOperations(doc)) {
    const requirements = operation.security ?? doc.security ?? [];
    if (!Array.isArray(requirements)) throw new GenerateError('spec-invalid', `operation "${key}": "security" must be a list`);
    let usable = requirements.length === 0;
    let blocker: { name: string; scheme: SecuritySchemeObject } | undefined;
    let needsTwo = false;
    for (const requirement of requirements) {
      const names = Object.keys(requirement ?? {});
      for (const name of names) {
        if (declared[name] === undefined) {
          throw new GenerateError('spec-invalid', `operation "${key}" names security scheme "${name}", which components.securitySchemes does not declare`);
        }
      }
      if (names.length === 0) usable = true;
      else if (names.length > 1) needsTwo = true;
      else {
        const scheme = resolveRef(doc, declared[names[0]!]) as SecuritySchemeObject;
        if (isSupported(scheme)) usable = true;
        else blocker ??= { name: names[0]!, scheme };
      }
    }
    if (usable) continue;
    if (blocker) throw new GenerateError('security-unsupported', unsupportedMessage(key, blocker.name, blocker.scheme));
    if (needsTwo) {
      throw new GenerateError(
        'security-unsupported',
        `operation "${key}" needs two security schemes at once, and tokensmith sends one Authorization header: give it a single-scheme alternative (http basic or bearer)`,
      );
    }
  }
}

function isSupported(scheme: SecuritySchemeObject): boolean {
  const kind = scheme?.scheme?.toLowerCase();
  return scheme?.type === 'http' && (kind === 'basic' || kind === 'bearer');
}

/** One line: which operation, which scheme and type, why tokensmith cannot send it, what to do. */
function unsupportedMessage(operation: string, name: string, scheme: SecuritySchemeObject): string {
  const what = `operation "${operation}" accepts only security scheme "${name}"`;
  const alternative = 'add an http bearer or basic alternative to its security if the API accepts one';
  switch (scheme?.type) {
    case 'apiKey':
      return `${what} (type apiKey, a key in ${scheme.in ?? 'a'} ${scheme.in === 'query' ? 'parameter' : 'field'} "${scheme.name ?? '?'}"), which tokensmith does not send: set the key with your own openapi-fetch middleware, or ${alternative}`;
    case 'oauth2':
    case 'openIdConnect':
      return `${what} (type ${scheme.type}), which tokensmith does not run: if the API takes the access token as "Authorization: Bearer", declare the scheme as { type: http, scheme: bearer } and supply the token from a TokenManager, or ${alternative}`;
    case 'mutualTLS':
      return `${what} (type mutualTLS): a client certificate goes on the TLS connection (your fetch's dispatcher), not in a header, so tokensmith has nothing to send; ${alternative}`;
    case 'http':
      return `${what} (type http, scheme ${scheme.scheme ?? '(none)'}): tokensmith sends http basic and bearer only; ${alternative}`;
    default:
      return `${what}, of type ${JSON.stringify(scheme?.type ?? null)}, which is not an OpenAPI security scheme type tokensmith knows; ${alternative}`;
  }
}
