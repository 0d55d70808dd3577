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
 * The openapi-generator arguments that make its `markdown` generator write TypeScript docs: the
 * templates, their generator options (TypeScript type names), and the spec's name for the
 * `import type { paths } from './<name>'` line.
 */
export function markdownTemplateArgs(specName: string): string[] {
  const dir = markdownTemplateDir();
  return ['-t', dir, '-c', path.join(dir, 'generator.yaml'), '--additional-properties', `specName=${specName}`];
}
