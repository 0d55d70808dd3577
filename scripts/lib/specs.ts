import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, whatever the working directory. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One OpenAPI spec and the name its generated files carry. */
export interface SpecEntry {
  name: string;
  /** Path relative to the repository root. */
  file: string;
}

/** Every spec `npm run generate` turns into code and docs. */
export const SPECS: readonly SpecEntry[] = [
  { name: 'ably', file: 'openapi/ably.yaml' },
  { name: 'metquay', file: 'openapi/metquay.yaml' },
];
