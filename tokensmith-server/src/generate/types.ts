import { pathToFileURL } from 'node:url';
import { GenerateError } from './errors';
import { loadOpenapiTypescript } from './optional-deps';

/**
 * The spec's `paths` and `components` as TypeScript types, for openapi-fetch's `createClient<paths>`.
 * openapi-typescript validates the document first; its first error becomes a one-line
 * {@link GenerateError} (it also prints each error itself, which is held back here). Loaded on
 * first use: it brings the TypeScript compiler, seconds of start-up no other command should pay.
 */
export async function renderTypes(file: string, header: string, label = file): Promise<string> {
  const { default: openapiTS, astToString } = await loadOpenapiTypescript();
  const printError = console.error;
  console.error = () => {};
  try {
    const ast = await openapiTS(pathToFileURL(file), { alphabetize: false, silent: true });
    return `// ${header}\n${astToString(ast)}`;
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new GenerateError('spec-invalid', `${label} is not a valid OpenAPI document: ${first}`, { cause: error });
  } finally {
    console.error = printError;
  }
}
