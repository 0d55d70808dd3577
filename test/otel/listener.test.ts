/**
 * `tokensmith/otel` recorded by the OpenTelemetry SDK's in-memory exporters: a fetch-duration
 * histogram, counts by event and outcome, and a span for each token fetch, over real HTTP against
 * a local /authenticate; never a token or a secret in any attribute.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanStatusCode } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MetquayAuth } from '../../src/metquay';
import { DEFAULT_OTEL_NAMES, otelTokenListener } from '../../src/otel';

const SECRET = 'otel-secret-key-value';
const TOKEN = 'otel-access-token-value';
let server: Server;
let baseUrl: string;
let answer: { status: number; body: object } = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.statusCode = answer.status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function sdk(options: { spans?: boolean } = {}) {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const listener = otelTokenListener({ meter: meterProvider.getMeter('test'), tracer: tracerProvider.getTracer('test'), ...options });
  const collect = async () => {
    await reader.forceFlush();
    const metrics = metricExporter.getMetrics().at(-1)?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
    return Object.fromEntries(metrics.map((metric) => [metric.descriptor.name, metric.dataPoints]));
  };
  return { listener, collect, spans: () => spanExporter.getFinishedSpans(), shutdown: () => Promise.all([meterProvider.shutdown(), tracerProvider.shutdown()]) };
}

test('a fetch, cache hits and a refused fetch: histogram, counts by outcome, one span per fetch', async () => {
  const telemetry = sdk();
  try {
    answer = { status: 200, body: { accessToken: TOKEN, tokenType: 'bearer', expiresIn: 900 } };
    const auth = new MetquayAuth({ accessKey: 'a', secretKey: SECRET, baseUrl, onTokenEvent: telemetry.listener });
    expect(await auth.getToken()).toBe(TOKEN);
    await auth.getToken();
    await auth.getToken();

    answer = { status: 401, body: { code: 401, message: 'bad key' } };
    const refused = new MetquayAuth({ accessKey: 'b', secretKey: SECRET, baseUrl, onTokenEvent: telemetry.listener });
    await expect(refused.getToken()).rejects.toMatchObject({ code: 40101 });

    const metrics = await telemetry.collect();
    const counts = Object.fromEntries(
      (metrics[DEFAULT_OTEL_NAMES.events] as DataPoint<number>[]).map((point) => [`${point.attributes['tokensmith.token.event']}:${point.attributes['tokensmith.outcome']}`, point.value]),
    );
    expect(counts).toEqual({ 'obtained:ok': 1, 'cached:ok': 2, 'failed:error': 1 });

    const durations = metrics[DEFAULT_OTEL_NAMES.fetchDuration] as DataPoint<Histogram>[];
    expect(durations.map((point) => point.attributes['tokensmith.outcome']).sort()).toEqual(['error', 'ok']);
    for (const point of durations) {
      expect(point.value.count).toBe(1);
      expect(point.value.sum).toBeGreaterThan(0);
      expect(point.value.sum).toBeLessThan(5); // seconds
      expect(point.attributes['tokensmith.provider']).toBe('metquay');
    }

    const spans = telemetry.spans();
    expect(spans.map((span) => span.name)).toEqual([DEFAULT_OTEL_NAMES.fetchSpan, DEFAULT_OTEL_NAMES.fetchSpan]);
    expect(spans[0]!.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(spans[1]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[1]!.attributes).toMatchObject({ 'error.type': 'InvalidCredentialsError', 'tokensmith.error.code': 40101 });
    const [seconds, nanos] = spans[0]!.duration;
    expect(seconds * 1e3 + nanos / 1e6).toBeGreaterThan(0);

    const everything = JSON.stringify({ metrics, spans: spans.map((span) => ({ name: span.name, attributes: span.attributes, status: span.status })) });
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('127.0.0.1');
  } finally {
    await telemetry.shutdown();
  }
});

test('spans: false records metrics only', async () => {
  const telemetry = sdk({ spans: false });
  telemetry.listener({ type: 'obtained', provider: 'x', durationMs: 5, outcome: 'ok' });
  expect(telemetry.spans()).toHaveLength(0);
  const metrics = await telemetry.collect();
  expect((metrics[DEFAULT_OTEL_NAMES.fetchDuration] as DataPoint<Histogram>[])[0]!.value.sum).toBeCloseTo(0.005);
  await telemetry.shutdown();
});
