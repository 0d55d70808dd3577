/**
 * Where the markdown templates are. Import this module dynamically (`await import(...)`):
 * jest runs the sources as CommonJS, where `import.meta` does not even parse.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `templates/markdown/` folder of tokensmith-server, found upwards from this module (in
 * `src/generate/` in a clone, in `dist/` in the installed package, whose `files` ship it).
 */
export function markdownTemplateDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 4; level += 1) {
    const candidate = path.join(dir, 'templates', 'markdown');
    if (existsSync(path.join(candidate, 'api.mustache'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('tokensmith-server is incomplete: its templates/markdown/ folder is missing; reinstall the package');
}

/**
 * A client a package exports for the spec, shown on the index page instead of a client built from
 * the generated files: `import { <factory>, type <pathsType> } from '<from>'` and
 * `const client = <factory>(<options>)`. No value may hold a comma (openapi-generator splits
 * `--additional-properties` on commas).
 */
export interface PackageClient {
  /** The module, e.g. `tokensmith`. */
  from: string;
  /** The factory, e.g. `createAblyClient`. */
  factory: string;
  /** The exported `paths` type of the spec, e.g. `AblyPaths`. */
  pathsType: string;
  /** The factory's argument as TypeScript source, e.g. `{ key: process.env.ABLY_KEY }`. */
  options: string;
}

/**
 * The openapi-generator arguments that make its `markdown` generator write TypeScript docs: the
 * templates, their generator options (TypeScript type names), the spec's name for the
 * `import type { paths } from './<name>.js'` line, and a package's own client when it has one.
 */
export function markdownTemplateArgs(specName: string, packageClient?: PackageClient): string[] {
  const dir = markdownTemplateDir();
  const properties = [`specName=${specName}`];
  if (packageClient) {
    const fields = { packageClientFrom: packageClient.from, packageClient: packageClient.factory, packagePaths: packageClient.pathsType, packageClientOptions: packageClient.options };
    for (const [key, value] of Object.entries(fields)) {
      if (value.includes(',')) throw new Error(`markdownTemplateArgs: packageClient ${key} cannot hold a comma`);
      properties.push(`${key}=${value}`);
    }
  }
  return ['-t', dir, '-c', path.join(dir, 'generator.yaml'), '--additional-properties', properties.join(',')];
}
