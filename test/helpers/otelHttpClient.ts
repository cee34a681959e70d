/**
 * A real OpenTelemetry SDK client over OTLP/HTTP: a tracer provider whose spans
 * go through a BatchSpanProcessor to the official OTLP/HTTP exporter, protobuf
 * (`@opentelemetry/exporter-trace-otlp-proto`) or JSON
 * (`@opentelemetry/exporter-trace-otlp-http`). As with the gRPC helper, spans
 * leave only on `flush()`, so one flush is one request.
 */
import type { AgentOptions } from 'node:https';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { OtelClient } from './otelClient';

type ExporterConfig = NonNullable<ConstructorParameters<typeof ProtoExporter>[0]>;

export interface OtelHttpClientOptions {
  /** Full traces URL, e.g. `http://127.0.0.1:4318/v1/traces`. */
  readonly url: string;
  /** `protobuf` (application/x-protobuf) or `json` (application/json). */
  readonly encoding: 'protobuf' | 'json';
  /** `service.name` of the resource. Default 'test-service'. */
  readonly serviceName?: string;
  /** Compress requests. Default 'none'. */
  readonly compression?: 'none' | 'gzip';
  /** Extra request headers, e.g. `authorization`. */
  readonly headers?: Record<string, string>;
  /** TLS options of the https agent: `ca` to trust, `cert`/`key` for mTLS. */
  readonly tls?: Pick<AgentOptions, 'ca' | 'cert' | 'key'>;
  /** Export timeout, ms. Default 5000. */
  readonly timeoutMs?: number;
}

export function createOtelHttpClient(options: OtelHttpClientOptions): OtelClient {
  const config: ExporterConfig = {
    url: options.url,
    // The SDK types this as a string enum from a package we do not depend on directly.
    compression: (options.compression ?? 'none') as ExporterConfig['compression'],
    headers: options.headers,
    timeoutMillis: options.timeoutMs ?? 5_000,
    // No keep-alive: a test's connections must not outlive it and hold a server's shutdown.
    httpAgentOptions: { keepAlive: false, ...options.tls },
  };
  const exporter = options.encoding === 'json' ? new JsonExporter(config) : new ProtoExporter(config);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'test-service' }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000, exportTimeoutMillis: options.timeoutMs ?? 5_000 })],
  });
  return {
    tracer: provider.getTracer('otel-http-client-test-helper'),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
