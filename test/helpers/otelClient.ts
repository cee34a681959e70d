/**
 * A real OpenTelemetry SDK client: a tracer provider whose spans go through a
 * BatchSpanProcessor to the official OTLP/gRPC exporter. Spans are exported
 * only on `flush()` (or when a batch of 512 fills), so one flush is one request.
 */
import * as grpc from '@grpc/grpc-js';
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

type ExporterConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

export interface OtelClientOptions {
  /** Port of the OTLP/gRPC server on 127.0.0.1. */
  readonly port: number;
  /** `service.name` of the resource. Default 'test-service'. */
  readonly serviceName?: string;
  /** Compress requests. Default 'none'. */
  readonly compression?: 'none' | 'gzip';
  /** Export timeout, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** TLS channel credentials (then the URL is https://localhost:<port>, matching the test certificate). Default plaintext. */
  readonly credentials?: grpc.ChannelCredentials;
  /** Metadata sent with every export, e.g. authorization. */
  readonly metadata?: Record<string, string>;
}

export interface OtelClient {
  readonly tracer: Tracer;
  /** Exports every ended span; rejects when the server answers with an error. */
  flush(): Promise<void>;
  /** Flushes and closes the exporter's channel. */
  shutdown(): Promise<void>;
}

export function createOtelClient(options: OtelClientOptions): OtelClient {
  const exporter = new OTLPTraceExporter({
    url: options.credentials ? `https://localhost:${options.port}` : `http://127.0.0.1:${options.port}`,
    credentials: options.credentials,
    metadata: options.metadata ? metadataOf(options.metadata) : undefined,
    // The SDK types this as a string enum from a package we do not depend on directly.
    compression: (options.compression ?? 'none') as ExporterConfig['compression'],
    timeoutMillis: options.timeoutMs ?? 5_000,
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'test-service' }),
    // A long delay so nothing leaves before flush(): tests decide when requests happen.
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000, exportTimeoutMillis: options.timeoutMs ?? 5_000 })],
  });
  return {
    tracer: provider.getTracer('otel-client-test-helper'),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

function metadataOf(entries: Record<string, string>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return metadata;
}
