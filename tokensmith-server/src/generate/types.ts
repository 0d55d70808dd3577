import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OpenApiDocument } from './document';
import { GenerateError } from './errors';
import { loadOpenapiTypescript } from './optional-deps';

/**
 * The spec's `paths` and `components` as TypeScript types, for openapi-fetch's `createClient<paths>`.
 * openapi-typescript validates the document first; its first error becomes a one-line
 * {@link GenerateError} (it also prints each error itself, which is held back here). Loaded on
 * first use: it brings the TypeScript compiler, seconds of start-up no other command should pay.
 *
 * With `doc`, the types are made from that (transformed) document instead of the file's text;
 * `$ref`s to other files still resolve against the file's folder.
 */
export async function renderTypes(file: string, header: string, label = file, doc?: OpenApiDocument): Promise<string> {
  const { default: openapiTS, astToString } = await loadOpenapiTypescript();
  const printError = console.error;
  console.error = () => {};
  try {
    const options = { alphabetize: false, silent: true } as const;
    const ast = doc === undefined
      ? await openapiTS(pathToFileURL(file), options)
      : await openapiTS(doc as Parameters<typeof openapiTS>[0], { ...options, cwd: pathToFileURL(`${path.dirname(file)}${path.sep}`) });
    return `// ${header}\n${astToString(ast)}`;
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new GenerateError('spec-invalid', `${label} is not a valid OpenAPI document: ${first}`, { cause: error });
  } finally {
    console.error = printError;
  }
}
