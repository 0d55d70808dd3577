/**
 * The pure requirement rules `generate` and the engine share: what kind a scheme is, whether
 * tokensmith can send it, and whether an operation's requirement can be met.
 */
import { requirementsOf, schemeKind, unmetRequirement, unsupportedReason } from '../../src/core/spec-auth/requirements';

const schemes = {
  basicAuth: { type: 'http', scheme: 'Basic' },
  bearerAuth: { type: 'http', scheme: 'bearer' },
  digestAuth: { type: 'http', scheme: 'digest' },
  headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
  badKey: { type: 'apiKey', in: 'body', name: 'k' },
  oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/token', scopes: {} } } },
  oidc: { type: 'openIdConnect', openIdConnectUrl: '/.well-known/openid-configuration' },
  mtls: { type: 'mutualTLS' },
  odd: { type: 'kerberos' },
} as const;

describe('schemeKind and unsupportedReason', () => {
  test.each([
    ['basicAuth', 'basic', undefined],
    ['bearerAuth', 'bearer', undefined],
    ['digestAuth', 'http', 'http scheme "digest" is not supported (only basic and bearer)'],
    ['headerKey', 'apiKey', undefined],
    ['badKey', 'apiKey', 'apiKey "in" must be header, query or cookie'],
    ['oauth', 'oauth2', undefined],
    ['oidc', 'openIdConnect', undefined],
    ['mtls', 'mutualTLS', undefined],
    ['odd', undefined, 'type "kerberos" is not an OpenAPI security scheme type'],
  ] as const)('%s: kind %s, unsupported because %s', (name, kind, reason) => {
    expect(schemeKind(schemes[name])).toBe(kind);
    expect(unsupportedReason(schemes[name])).toBe(reason);
  });
});

describe('unmetRequirement', () => {
  test.each([
    ['security: []', [], undefined],
    ['a supported scheme', [{ bearerAuth: [] }], undefined],
    ['an optional alternative after an unsupported one', [{ digestAuth: [] }, {}], undefined],
    ['OR: a later supported alternative', [{ digestAuth: [] }, { headerKey: [] }], undefined],
    ['only an unsupported scheme', [{ digestAuth: [] }], { schemeName: 'digestAuth', reason: expect.stringContaining('digest') }],
    ['AND with one unsupported scheme', [{ bearerAuth: [], digestAuth: [] }], { schemeName: 'digestAuth' }],
    ['the first blocker of the first alternative is named', [{ odd: [] }, { badKey: [] }], { schemeName: 'odd' }],
    ['an undeclared scheme', [{ nope: [] }], { schemeName: 'nope', reason: 'missing from securitySchemes' }],
    ['the legacy shape', [['digestAuth'], ['basicAuth']], undefined],
    ['the legacy shape, unsupported', [['digestAuth']], { schemeName: 'digestAuth' }],
  ] as const)('%s', (_name, alternatives, expected) => {
    const unmet = unmetRequirement('GET /x', alternatives as never, schemes);
    if (expected === undefined) expect(unmet).toBeUndefined();
    else expect(unmet).toEqual(expect.objectContaining({ operation: 'GET /x', ...expected }));
  });

  test('with `configured`, an alternative needs a credential for every scheme', () => {
    const configured = (name: string) => name === 'bearerAuth';
    expect(unmetRequirement('GET /x', [{ bearerAuth: [], headerKey: [] }], schemes, configured)).toEqual({
      operation: 'GET /x',
      schemeName: 'headerKey',
      reason: 'no credential is configured for it',
    });
    expect(unmetRequirement('GET /x', [{ headerKey: [] }, { bearerAuth: [] }], schemes, configured)).toBeUndefined();
  });
});

describe('requirementsOf', () => {
  test('reads both shapes as requirement objects, scopes kept', () => {
    expect(requirementsOf('GET /x', [['a', 'b'], []])).toEqual([{ a: [], b: [] }, {}]);
    expect(requirementsOf('GET /x', [{ oauth: ['read', 'write'] }, {}])).toEqual([{ oauth: ['read', 'write'] }, {}]);
  });

  test.each([
    ['not an array', { a: [] }, 'must be an array of alternatives'],
    ['a name that is not a string', [[1]], 'not a string'],
    ['scopes that are not strings', [{ oauth: [1] }], 'scopes that are not a list of strings'],
    ['an alternative that is not an object', [null], 'must list requirement objects'],
  ])('refuses %s (40003)', (_name, alternatives, message) => {
    expect(() => requirementsOf('GET /x', alternatives as never)).toThrow(expect.objectContaining({ code: 40003, message: expect.stringContaining(message) }));
  });
});
