/**
 * `tokensmith/otel`: the token lifecycle in OpenTelemetry, through `@opentelemetry/api` (an
 * optional peer: install it, and an SDK, in your app). Nothing here runs unless you pass the
 * listener to an auth's `onTokenEvent`.
 * @module tokensmith/otel
 */
export { DEFAULT_OTEL_NAMES, otelTokenListener, type OtelTokenListenerOptions } from './listener';
