import path from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { generatedHeader, type SpecEntry } from './specs';

/** The spec's `paths` and `components` as TypeScript types, for openapi-fetch's `createClient<paths>`. */
export async function renderTypes(root: string, spec: SpecEntry): Promise<string> {
  const ast = await openapiTS(pathToFileURL(path.resolve(root, spec.file)), { alphabetize: false });
  return `// ${generatedHeader(spec)}\n${astToString(ast)}`;
}
