/**
 * `tokensmith/schemas`: the request schemas of the bundled Ably and Metquay specs, per operation
 * (keyed `"METHOD /path/template"`) and shaped as Fastify route schemas, generated from
 * `openapi/*.yaml`. tokensmith-server validates requests with them; a mock or a test of your own
 * can too. A subpath of its own, so no client bundle carries them.
 *
 * @example
 * ```ts
 * import { ablyOperationSchemas } from 'tokensmith/schemas';
 * app.post('/keys/:keyName/requestToken', { schema: ablyOperationSchemas['POST /keys/{keyName}/requestToken'] }, handler);
 * ```
 */
export { operationSchemas as ablyOperationSchemas } from '../../generated/ably.validation';
export { operationSchemas as metquayOperationSchemas } from '../../generated/metquay.validation';
