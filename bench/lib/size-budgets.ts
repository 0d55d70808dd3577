/**
 * Minified-size budgets (esbuild, the settings in ./bundle.ts) that `npm run check:size` enforces
 * and the size bench reports against. Raise one deliberately, in the commit that makes the code
 * bigger, saying why.
 */

/** One budget: what an app importing `names` from the default entry ships (all of it when absent). */
export interface SizeBudget {
  label: string;
  /** Exports imported; undefined means `export *` (the whole entry). */
  names?: readonly string[];
  maxBytes: number;
}

export const SIZE_BUDGETS: readonly SizeBudget[] = [
  { label: 'default entry', maxBytes: 40 * 1024 },
  { label: 'AblyAuth alone', names: ['AblyAuth'], maxBytes: 24 * 1024 },
  { label: 'MetquayAuth alone', names: ['MetquayAuth'], maxBytes: 12 * 1024 },
];
