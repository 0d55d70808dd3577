import type { OpenApiDocument } from './document';
import { GenerateError } from './errors';

/**
 * Follows local `$ref`s (`#/components/...`) until a non-reference value is reached. A circular,
 * external or dangling reference is a {@link GenerateError} naming it.
 */
export function resolveRef(doc: OpenApiDocument, value: unknown): unknown {
  let current = value;
  const seen = new Set<string>();
  while (current && typeof current === 'object' && '$ref' in current) {
    const ref = (current as { $ref: string }).$ref;
    if (seen.has(ref)) throw new GenerateError('spec-invalid', `circular $ref "${ref}"`);
    seen.add(ref);
    if (!ref.startsWith('#/')) throw new GenerateError('spec-invalid', `$ref "${ref}" points outside the file; bundle the spec into one file first (e.g. \`redocly bundle\`)`);
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    if (current === undefined) throw new GenerateError('spec-invalid', `$ref "${ref}" points to nothing in the document`);
  }
  return current;
}
