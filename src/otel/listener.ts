import { SpanStatusCode, metrics, trace, type Attributes, type Meter, type Tracer } from '@opentelemetry/api';
import type { TokenEvent, TokenEventListener } from '../core/telemetry';

/** Instrument and span names the listener records under. */
export const DEFAULT_OTEL_NAMES = /* @__PURE__ */ Object.freeze({
  /** Instrumentation scope of the meter and tracer. */
  scope: 'tokensmith',
  /** Histogram, seconds: each token fetch (obtained, renewed ahead, failed), every attempt included. */
  fetchDuration: 'tokensmith.token.fetch.duration',
  /** Histogram, seconds: each wait on another process's fleet fetch lock. */
  lockWaitDuration: 'tokensmith.token.lock.wait.duration',
  /** Counter: every lifecycle event, by `tokensmith.token.event` and `tokensmith.outcome`. */
  events: 'tokensmith.token.events',
  /** Span around each token fetch. */
  fetchSpan: 'tokensmith.token.fetch',
});

/** Options of {@link otelTokenListener}. */
export interface OtelTokenListenerOptions {
  /** Meter to record on. Default: `metrics.getMeter('tokensmith')` from the global provider. */
  meter?: Meter | undefined;
  /** Tracer to start spans on. Default: `trace.getTracer('tokensmith')` from the global provider. */
  tracer?: Tracer | undefined;
  /** Set false to record metrics only. Default true. */
  spans?: boolean | undefined;
}

/** The events that end a token fetch: they get a span and a duration. */
const FETCH_ENDS: ReadonlySet<TokenEvent['type']> = /* @__PURE__ */ new Set(['obtained', 'renewed-ahead', 'failed']);

/**
 * A {@link TokenEventListener} recording the token lifecycle with OpenTelemetry:
 * - `tokensmith.token.fetch.duration` (histogram, s) for each fetch, by provider, outcome and event;
 * - `tokensmith.token.events` (counter) for every event — cache hits, retries, rejections — by provider, event and outcome;
 * - `tokensmith.token.lock.wait.duration` (histogram, s) for each fleet-lock wait, by how it ended;
 * - a `tokensmith.token.fetch` span for each fetch, spanning its duration (started at the fetch's
 *   start, ended when it settled), a child of the span active when it settled, with status ERROR
 *   and `error.type` on failure.
 *
 * Attributes are names and numbers only: never a token, a secret or a URL.
 *
 * @example
 * ```ts
 * import { AblyAuth } from 'tokensmith';
 * import { otelTokenListener } from 'tokensmith/otel';
 * const auth = new AblyAuth({ key, useTokenAuth: true, onTokenEvent: otelTokenListener() });
 * ```
 */
export function otelTokenListener(options: OtelTokenListenerOptions = {}): TokenEventListener {
  const names = DEFAULT_OTEL_NAMES;
  const meter = options.meter ?? metrics.getMeter(names.scope);
  const tracer = options.spans === false ? undefined : (options.tracer ?? trace.getTracer(names.scope));
  const fetchDuration = meter.createHistogram(names.fetchDuration, { unit: 's', description: 'Duration of a token fetch, every attempt and backoff included' });
  const lockWait = meter.createHistogram(names.lockWaitDuration, { unit: 's', description: "Time spent waiting on another process's token fetch lock" });
  const events = meter.createCounter(names.events, { description: 'Token lifecycle events by type and outcome' });

  return (event) => {
    const attributes = attributesOf(event);
    events.add(1, attributes);
    if (event.type === 'lock-waited') {
      lockWait.record(event.durationMs / 1000, attributes);
      return;
    }
    if (!FETCH_ENDS.has(event.type)) return;
    fetchDuration.record(event.durationMs / 1000, attributes);
    if (tracer === undefined) return;
    const endTime = Date.now();
    const span = tracer.startSpan(names.fetchSpan, { startTime: endTime - event.durationMs, attributes });
    if (event.outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR, message: `${event.errorName ?? 'Error'} ${event.errorCode ?? ''}`.trim() });
    span.end(endTime);
  };
}

function attributesOf(event: TokenEvent): Attributes {
  const attributes: Attributes = {
    'tokensmith.provider': event.provider,
    'tokensmith.token.event': event.type,
    'tokensmith.outcome': event.outcome,
  };
  if (event.attempts !== undefined) attributes['tokensmith.token.attempts'] = event.attempts;
  if (event.errorName !== undefined) attributes['error.type'] = event.errorName;
  if (event.errorCode !== undefined) attributes['tokensmith.error.code'] = event.errorCode;
  if (event.lock !== undefined) attributes['tokensmith.lock.result'] = event.lock;
  return attributes;
}
