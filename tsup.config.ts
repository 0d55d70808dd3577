import { defineConfig } from 'tsup';

// The library entries as ESM + CommonJS with declarations (the server and CLI build in
// tokensmith-server/). `index.node` (from src/index-node.ts) is the same API as `index` with the node:crypto signer bound.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'index.node': 'src/index-node.ts',
    // The bundled specs' request schemas, for tokensmith-server; apart so client bundles never carry them.
    schemas: 'src/schemas/index.ts',
    // Token sharing (MemoryTokenStore, sharedStore, credentialIdentity): apart so bundles that never share tokens never carry the fleet lock.
    store: 'src/store/index.ts',
    redis: 'src/redis/index.ts',
    // OAuth2 client credentials / refresh tokens: apart so bundles of the default entry never carry them.
    oauth2: 'src/oauth2/index.ts',
    // The typed openapi-fetch clients: apart so bundles of the default entry never carry openapi-fetch.
    // `client.node` (from src/client/index-node.ts) binds createAblyClient to the node:crypto signer.
    client: 'src/client/index.ts',
    'client.node': 'src/client/index-node.ts',
    // OpenTelemetry adapter; @opentelemetry/api is an optional peer, so external.
    otel: 'src/otel/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps in the package: they would double its install size, and dist is readable ESM/CJS.
  sourcemap: false,
  clean: true,
  target: 'node20',
  platform: 'neutral',
  external: [/^node:/],
  treeshake: true,
  // Shared chunks in CommonJS too: each entry bundling its own copy of the error classes would
  // break `instanceof TokensmithError` across tokensmith and tokensmith/redis.
  splitting: true,
});
