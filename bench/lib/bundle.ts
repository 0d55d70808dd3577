import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';

/** Size of one bundle. */
export interface BundleSize {
  /** Minified bytes. */
  bytes: number;
  /** Those bytes gzipped at level 9, for what goes over the wire. */
  gzipBytes: number;
  /** Minified bytes each input file contributes, largest first (package files grouped by package). */
  inputs: Array<{ input: string; bytes: number }>;
}

/**
 * esbuild settings both sides of the size comparison share: one ESM file, minified, every
 * dependency bundled, platform neutral (no Node built-ins, no polyfills), browser fields first.
 */
export const NEUTRAL_BUNDLE: BuildOptions = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['browser', 'module', 'main'],
  conditions: ['browser', 'import', 'default'],
  target: 'es2022',
  write: false,
  logLevel: 'silent',
  legalComments: 'none',
};

/**
 * Bundles the module `entry` (a file path, or a package name resolved from `resolveDir`) in
 * memory: everything it exports, or only `names` (what an app importing just those would ship
 * after tree-shaking).
 */
export async function bundleSize(entry: string, options: BuildOptions = NEUTRAL_BUNDLE, resolveDir = process.cwd(), names?: readonly string[]): Promise<BundleSize> {
  const what = names ? `{ ${names.join(', ')} }` : '*';
  const result = await build({
    ...options,
    metafile: true,
    stdin: { contents: `export ${what} from ${JSON.stringify(entry)};`, resolveDir, loader: 'ts' },
  });
  const code = result.outputFiles?.[0]?.contents;
  if (!code) throw new Error(`esbuild produced no output for ${entry}`);
  const byInput = new Map<string, number>();
  for (const output of Object.values(result.metafile?.outputs ?? {})) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byInput.set(name, (byInput.get(name) ?? 0) + bytesInOutput);
    }
  }
  const inputs = [...byInput].map(([input, bytes]) => ({ input, bytes })).sort((a, b) => b.bytes - a.bytes);
  return { bytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength, inputs };
}

/** `node_modules/openapi-fetch/dist/index.js` -> `openapi-fetch`; source files stay as they are. */
function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? input;
}
