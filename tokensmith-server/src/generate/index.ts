// Client generation for any OpenAPI 3.0/3.1 spec: what `tokensmith generate` and this repository's
// `npm run generate` run.
export { generateClient, withLabel, type GenerateClientOptions } from './generate';
export { GenerateError, type GenerateFailure } from './errors';
export { generatedHeader, loadSpecDocument, type OpenApiDocument } from './document';
export { renderTypes } from './types';
export { renderSecurityMap } from './security-map';
export { checkSecurity } from './supported-security';
export { renderValidation } from './validation';
export { FETCH_GENERATOR_COMMAND, GENERATOR_JAR_ENV, GENERATOR_VERSION, findGeneratorJar, writeDocs, type DocsOptions } from './docs';
