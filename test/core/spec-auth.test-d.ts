// Compile-time tests of createSpecAuth's credentials: `tsc --noEmit` fails when a line marked with
// an expect-error directive compiles. Credentials are typed from the generated (`as const`)
// securitySchemes: a misspelt scheme name, or a credential of the wrong kind, does not compile.
import { createSpecAuth, TokenManager, type SchemeKindOf, type SchemeProvider, type SpecAuth } from '../../src/core';
import * as ablySecurity from '../../generated/ably.security';

const security = {
  defaultServerUrl: 'https://api.example.test',
  securitySchemes: {
    basicAuth: { type: 'http', scheme: 'basic' },
    bearerAuth: { type: 'http', scheme: 'Bearer' },
    apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: { read: 'read' } } } },
    oidc: { type: 'openIdConnect', openIdConnectUrl: '/.well-known/openid-configuration' },
    mtls: { type: 'mutualTLS' },
    digest: { type: 'http', scheme: 'digest' },
  },
  operationSecurity: { 'GET /x': [{ bearerAuth: [] }, { oauth: ['read'] }], 'GET /y': [] },
} as const;

const manager = new TokenManager({ fetchToken: async () => ({ token: 't' }) });
const oauthProvider: SchemeProvider<'oauth2' | 'openIdConnect'> = { kinds: { oauth2: true, openIdConnect: true }, apply: () => undefined };
const mtlsProvider: SchemeProvider<'mutualTLS'> = { kinds: { mutualTLS: true }, apply: () => undefined };
const apiKeyProvider: SchemeProvider<'apiKey'> = { kinds: { apiKey: true }, apply: () => undefined };

export function specAuthTypeChecks(env: Record<string, string | undefined>): SpecAuth[] {
  const made: SpecAuth[] = [];
  made.push(
    createSpecAuth(security, {
      credentials: {
        basicAuth: { username: 'u', password: 'p' },
        bearerAuth: manager,
        apiKeyHeader: env['KEY'], // undefined compiles (refused at run time, 40106)
        oauth: oauthProvider,
        oidc: oauthProvider,
        mtls: mtlsProvider,
      },
    }),
  );
  made.push(createSpecAuth(security, { credentials: { bearerAuth: 'static', apiKeyHeader: () => 'k', oauth: async () => 'token' } }));

  // @ts-expect-error a misspelt scheme name
  made.push(createSpecAuth(security, { credentials: { bearerAuht: 'x' } }));
  // @ts-expect-error basic needs { username, password }, not a string
  made.push(createSpecAuth(security, { credentials: { basicAuth: 'user:pass' } }));
  // @ts-expect-error an apiKey is not a TokenManager
  made.push(createSpecAuth(security, { credentials: { apiKeyHeader: manager } }));
  // @ts-expect-error an OAuth2 provider cannot serve an apiKey scheme
  made.push(createSpecAuth(security, { credentials: { apiKeyHeader: oauthProvider } }));
  // @ts-expect-error an apiKey provider cannot serve a bearer scheme
  made.push(createSpecAuth(security, { credentials: { bearerAuth: apiKeyProvider } }));
  // @ts-expect-error mutualTLS takes only a provider
  made.push(createSpecAuth(security, { credentials: { mtls: 'cert' } }));
  // @ts-expect-error tokensmith cannot send http digest: nothing can be configured for it
  made.push(createSpecAuth(security, { credentials: { digest: 'x' } }));

  // The bundled (legacy-shape) maps work too, with their own scheme names.
  made.push(createSpecAuth(ablySecurity, { credentials: { bearerAuth: manager, basicAuth: { username: 'app.key', password: 's' } } }));
  // @ts-expect-error the Ably spec has no apiKey scheme
  made.push(createSpecAuth(ablySecurity, { credentials: { apiKey: 'x' } }));
  return made;
}

// The kind read off a scheme object, case-insensitively for http schemes.
const bearerKind: SchemeKindOf<{ readonly type: 'http'; readonly scheme: 'Bearer' }> = 'bearer';
const apiKeyKind: SchemeKindOf<{ readonly type: 'apiKey'; readonly in: 'query'; readonly name: 'k' }> = 'apiKey';
// @ts-expect-error a basic scheme is not bearer
const wrongKind: SchemeKindOf<{ readonly type: 'http'; readonly scheme: 'basic' }> = 'bearer';
void bearerKind, apiKeyKind, wrongKind;

// A missing credential does not compile where TypeScript can tell: every operation needs one
// alternative whose schemes are all configured (or `{}`, or only unsendable alternatives).
export function missingCredentialChecks(): SpecAuth[] {
  const map = {
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer' },
      partnerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      queryKey: { type: 'apiKey', in: 'query', name: 'k' },
      digest: { type: 'http', scheme: 'digest' },
    },
    operationSecurity: {
      'GET /open': [],
      'GET /me': [{ bearerAuth: [] }],
      'GET /either': [{ partnerKey: [] }, { bearerAuth: [] }],
      'GET /both': [{ partnerKey: [], bearerAuth: [] }],
      'GET /rates': [{ queryKey: [] }, {}],
      'GET /legacy': [{ digest: [] }],
    },
  } as const;
  const made: SpecAuth[] = [];
  made.push(createSpecAuth(map, { credentials: { bearerAuth: 't', partnerKey: 'k' } }));
  // @ts-expect-error GET /both needs partnerKey too
  made.push(createSpecAuth(map, { credentials: { bearerAuth: 't' } }));
  // @ts-expect-error GET /me and GET /both need bearerAuth
  made.push(createSpecAuth(map, { credentials: { partnerKey: 'k' } }));
  // partial: true defers the check to the call (40106).
  made.push(createSpecAuth(map, { credentials: { bearerAuth: 't' }, partial: true }));
  return made;
}
