import { defineConfig } from 'tsup';

// One build per format family: the library entries as ESM + CommonJS with declarations, the CLI as
// a single ESM file. `index.node` (from src/index-node.ts) is the same API as `index` with the node:crypto signer bound.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'index.node': 'src/index-node.ts',
      server: 'src/server/index.ts',
      redis: 'src/redis/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'neutral',
    external: [/^node:/],
    treeshake: true,
    // Shared chunks in CommonJS too: each entry bundling its own copy of the error classes would
    // break `instanceof TokensmithError` across tokensmith and tokensmith/redis.
    splitting: true,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
