import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackageClient } from '../../tokensmith-server/src/generate/markdown-templates';

/** Repository root, whatever the working directory. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One OpenAPI spec and the name its generated files carry. */
export interface SpecEntry {
  name: string;
  /** Path relative to the repository root. */
  file: string;
  /** tokensmith's own client for the spec, which its bundled docs show. */
  client: PackageClient;
}

/** Every spec `npm run generate` turns into code and docs. */
export const SPECS: readonly SpecEntry[] = [
  {
    name: 'ably',
    file: 'openapi/ably.yaml',
    client: { from: 'tokensmith/client', factory: 'createAblyClient', pathsType: 'AblyPaths', options: '{ key: process.env.ABLY_KEY }' },
  },
  {
    name: 'metquay',
    file: 'openapi/metquay.yaml',
    client: { from: 'tokensmith/client', factory: 'createMetquayClient', pathsType: 'MetquayPaths', options: '{ baseUrl: process.env.METQUAY_BASE_URL }' },
  },
];
