// Client generation for any OpenAPI 3.0/3.1 spec: what `tokensmith generate` and this repository's
// `npm run generate` run.
export { generateClient, withLabel, type GenerateClientOptions, type GenerateResult } from './generate';
export { GenerateError, type GenerateFailure } from './errors';
export { generatedHeader, loadSpecDocument, type OpenApiDocument } from './document';
export { renderTypes } from './types';
export { renderSecurityMap } from './security-map';
export { describeUnsupported, findUnsupportedOperations, schemeProblem, type UnsupportedOperation } from './supported-security';
export { relaxCredentialParameters } from './credential-params';
export { renderValidation } from './validation';
export { writeDocs, type DocsOptions } from './docs';
export {
  CACHE_DIR_ENV,
  FETCH_GENERATOR_COMMAND,
  GENERATOR_JAR_ENV,
  GENERATOR_VERSION,
  findGeneratorJar,
  tokensmithCacheDir,
  type FindGeneratorJarOptions,
} from './generator-jar';
export { GENERATE_INSTALL_COMMAND } from './optional-deps';
