import { defineConfig } from 'tsup';

// The server API as ESM + CommonJS with declarations, and the CLI as one ESM file. `tokensmith`
// stays an import of the installed package (never bundled), so errors thrown by the server are
// the same classes the user's code catches.
const external = ['tokensmith', /^tokensmith\//];

export default defineConfig([
  {
    entry: { index: 'src/server/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    clean: true,
    target: 'node20',
    platform: 'node',
    removeNodeProtocol: false,
    external,
    treeshake: true,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: false,
    target: 'node20',
    platform: 'node',
    removeNodeProtocol: false,
    external,
  },
]);
