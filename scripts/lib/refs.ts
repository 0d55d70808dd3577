import type { OpenApiDocument } from './specs';

/** Follows local `$ref`s (`#/components/...`) until a non-reference value is reached. */
export function resolveRef(doc: OpenApiDocument, value: unknown): unknown {
  let current = value;
  const seen = new Set<string>();
  while (current && typeof current === 'object' && '$ref' in current) {
    const ref = (current as { $ref: string }).$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, found ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    if (current === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return current;
}
