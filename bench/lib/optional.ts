/**
 * Benches measure code other engineers may still be writing. These helpers load a module and
 * pick an export, or say in a few words why they could not, so the bench can report
 * "not measured: <why>" instead of crashing or inventing a figure.
 */

/** An export that was found, or why not. */
export type Optional<T> = { ok: true; value: T } | { ok: false; why: string };

/** Imports `specifier` (resolved against `base`, usually `import.meta.url`) and returns `exportName`. */
export async function optionalExport<T>(specifier: string, exportName: string, base: string): Promise<Optional<T>> {
  let module: Record<string, unknown>;
  try {
    module = (await import(new URL(specifier, base).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = code === 'ERR_MODULE_NOT_FOUND' ? 'is missing' : `failed to load (${firstLine(error)})`;
    return { ok: false, why: `${specifier} ${message}` };
  }
  const value = module[exportName];
  if (value === undefined) return { ok: false, why: `${specifier} has no export ${exportName} yet` };
  return { ok: true, value: value as T };
}

/** The first line of an error's message, for a table cell. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').slice(0, 120);
}
