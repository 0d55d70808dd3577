/**
 * The security map writes a requirement list that several operations declare once, as a named
 * `const`, and references it: the map's data and its literal types stay the spec's own, and a
 * bundle carries the list once (issue 22, item 6).
 */
import ts from 'typescript';
import type { OpenApiDocument } from '../../tokensmith-server/src/generate/document';
import { renderSecurityMap, securityMapOf } from '../../tokensmith-server/src/generate/security-map';

const either: Record<string, string[]>[] = [{ 'api-key': [] }, { bearer: [] }];
const doc: OpenApiDocument = {
  openapi: '3.0.3',
  servers: [{ url: 'https://api.example' }],
  security: either,
  paths: {
    '/a': { get: { responses: {} }, post: { responses: {} } },
    '/b': { get: { security: [{ oauth: ['read'] }], responses: {} } },
    '/c': { get: { security: [{ oauth: ['write'] }], responses: {} }, put: { security: [{ oauth: ['write'] }], responses: {} } },
    '/d': { get: { security: [{ oauth: ['read'] }], responses: {} }, delete: { security: [], responses: {} } },
    '/e': { get: { security: [], responses: {} } },
  },
  components: {
    securitySchemes: {
      'api-key': { type: 'apiKey', name: 'X-Key', in: 'header' },
      bearer: { type: 'http', scheme: 'bearer' },
      oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/token', scopes: { read: '', write: '' } } } },
    },
  },
} as OpenApiDocument;

const rendered = renderSecurityMap(doc, 'test');

function evaluate(source: string): Record<string, unknown> {
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const exports: Record<string, unknown> = {};
  new Function('exports', outputText)(exports);
  return exports;
}

describe('renderSecurityMap: shared requirement lists', () => {
  it('declares each list used more than once as one const, named by its schemes, unique when scopes differ', () => {
    expect(rendered).toContain('const security_api_key_or_bearer = [{"api-key":[]},{"bearer":[]}] as const;');
    expect(rendered).toContain('const security_oauth = [{"oauth":["read"]}] as const;');
    expect(rendered).toContain('const security_oauth_2 = [{"oauth":["write"]}] as const;');
    expect(rendered).toContain('const security_none = [] as const;');
    expect(rendered).toContain('  "GET /a": security_api_key_or_bearer,\n  "POST /a": security_api_key_or_bearer,\n');
    expect(rendered).toContain('  "PUT /c": security_oauth_2,\n');
    expect(rendered).toContain('  "DELETE /d": security_none,\n');
  });

  it('writes a list declared once inline, and keeps the doc comment on operationSecurity', () => {
    const single = renderSecurityMap({ ...doc, paths: { '/a': { get: { responses: {} } } } } as OpenApiDocument, 'test');
    expect(single).not.toContain('const security_');
    expect(single).toContain('  "GET /a": [{"api-key":[]},{"bearer":[]}],\n');
    expect(rendered).toMatch(/ \*\/\nexport const operationSecurity = \{\n/);
  });

  it('evaluates to the same data as securityMapOf', () => {
    expect(evaluate(rendered).operationSecurity).toEqual(securityMapOf(doc).operationSecurity);
  });

  it('compiles, with the literal types of the inline lists', () => {
    const file = 'map.ts';
    const source = `${rendered}\nconst check: typeof operationSecurity['GET /a'] = [{ 'api-key': [] }, { bearer: [] }];\n// @ts-expect-error the scope is part of the type\nconst wrong: typeof operationSecurity['PUT /c'] = [{ oauth: ['read'] }];\nexport { check, wrong };\n`;
    const host = ts.createCompilerHost({ strict: true, noEmit: true });
    const read = host.getSourceFile;
    host.getSourceFile = (name, ...rest) => (name === file ? ts.createSourceFile(file, source, ts.ScriptTarget.ES2022) : read(name, ...rest));
    const program = ts.createProgram([file], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, types: [] }, host);
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });
});
