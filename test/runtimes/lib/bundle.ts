import { build, type Metafile, type Plugin } from 'esbuild';

/** esbuild settings per target, as the platform's own tooling bundles (wrangler for workerd). */
export const TARGETS = {
  workerd: { platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'] },
  browser: { platform: 'browser', conditions: [] as string[], mainFields: undefined },
} as const;

/** Bundles `entry` (resolving from `resolveDir`'s node_modules) for `target`; throws on any Node built-in. */
export async function bundleFor(target: keyof typeof TARGETS, entry: string, outfile: string, plugins: Plugin[] = []): Promise<void> {
  const settings = TARGETS[target];
  const result = await build({
    entryPoints: [entry],
    plugins,
    outfile,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: settings.platform,
    conditions: [...settings.conditions],
    ...(settings.mainFields ? { mainFields: [...settings.mainFields] } : {}),
    metafile: true,
    logLevel: 'silent',
  });
  const nodeOnly = nodeOnlyImports(result.metafile);
  if (nodeOnly.length > 0) throw new Error(`${target} bundle imports Node-only modules: ${nodeOnly.join(', ')}`);
  const inputs = Object.keys(result.metafile.inputs);
  if (!inputs.some((path) => path.includes('node_modules/tokensmith/dist/'))) throw new Error(`${target} bundle does not contain the packed package`);
  const sources = inputs.filter((path) => /(^|\/)src\//.test(path) && !path.includes('node_modules'));
  if (sources.length > 0) throw new Error(`${target} bundle took tokensmith from the repository's sources: ${sources.slice(0, 3).join(', ')}`);
}

const NODE_BUILTINS = new Set(['assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'http', 'https', 'net', 'os', 'path', 'process', 'stream', 'tls', 'url', 'util', 'worker_threads', 'zlib']);

/** Node built-ins a bundle still imports, and the tokensmith files that belong to a `node` entry. */
export function nodeOnlyImports(metafile: Metafile): string[] {
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
  const builtins = imports.filter((path) => path.startsWith('node:') || NODE_BUILTINS.has(path));
  const nodeEntryFiles = Object.keys(metafile.inputs).filter((path) => /tokensmith\/dist\/(index|client)\.node\./.test(path));
  return [...builtins, ...nodeEntryFiles];
}

/** Redirects the examples' `../../src/index` and `../../src/client/index` imports to the packed package in `appDir`, resolved for the build's platform. */
export function packedTokensmith(appDir: string): Plugin {
  return {
    name: 'packed-tokensmith',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /\/src\/index$/ }, (args) => pluginBuild.resolve('tokensmith', { resolveDir: appDir, kind: args.kind }));
      pluginBuild.onResolve({ filter: /\/src\/client\/index$/ }, (args) => pluginBuild.resolve('tokensmith/client', { resolveDir: appDir, kind: args.kind }));
    },
  };
}
