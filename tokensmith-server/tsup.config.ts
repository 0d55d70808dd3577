import { defineConfig } from 'tsup';

// The server API as ESM + CommonJS with declarations, and the CLI as ESM. `tokensmith` stays an
// import of the installed package (never bundled), so errors thrown by the server are the same
// classes the user's code catches; so do the small dependencies without dependencies of their own
// (commander, jose, yaml, @msgpack/msgpack) and code generation's optional peers
// (openapi-typescript, typescript), loaded only by `generate`.
//
// Fastify is bundled (a devDependency), and with it Ajv, which `serve --spec` also uses: installed, Fastify is 47 packages, and its light-my-request
// pulls cookie@2, which declares Node >= 22, so `npm i --engine-strict` failed on Node 20. The
// server uses Fastify's HTTP serving only; light-my-request (inject) is bundled but never run.
const external = ['tokensmith', /^tokensmith\//, 'openapi-typescript', 'typescript'];

// Bundled CommonJS modules call require() for Node's built-ins; an ES module has no require.
const requireShim = {
  js: "import { createRequire as __tokensmithCreateRequire } from 'node:module';\nconst require = __tokensmithCreateRequire(import.meta.url);",
};

// The ESM build holds both entries, so the CLI and the API share one chunk (one copy of Fastify);
// the CommonJS build is the API alone. `npm run build` empties dist/ first.
// The metafiles name the bundled packages; the build turns them into dist/THIRD_PARTY_LICENSES.md.
const common = { sourcemap: false, target: 'node20', platform: 'node', removeNodeProtocol: false, external, noExternal: ['fastify', 'ajv', 'ajv-formats'], treeshake: true, metafile: true } as const;

export default defineConfig([
  {
    ...common,
    entry: { index: 'src/server/index.ts', cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: { entry: { index: 'src/server/index.ts' } },
    banner: requireShim,
  },
  {
    ...common,
    entry: { index: 'src/server/index.ts' },
    format: ['cjs'],
    dts: true,
  },
]);
