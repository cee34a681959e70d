import { Metadata } from '@grpc/grpc-js';
import { context, diag, DiagLogLevel, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { defaultResource, detectResources, hostDetector, processDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import type { SelfTelemetryConfig, SelfTelemetrySampler } from '../config/types';
import type { Logger } from './logger';
import type { SelfTelemetry, SelfTelemetryOptions } from './selfTelemetry';

/** The body of startSelfTelemetry when self-telemetry is on (see there). */
export function startSdk(config: Extract<SelfTelemetryConfig, { enabled: true }>, options: SelfTelemetryOptions): SelfTelemetry {
  const { logger } = options;
  const exporter = new OTLPTraceExporter({ url: config.endpoint, metadata: metadataOf(config.headers) });
  const resource = defaultResource()
    .merge(detectResources({ detectors: [hostDetector, processDetector] }))
    .merge(resourceFromAttributes({ ...config.resourceAttributes, 'service.name': config.serviceName }));
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    instrumentations: [],
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.scheduledDelayMs ?? 5_000 })],
    sampler: samplerOf(config.sampler),
    metricReaders: [],
    logRecordProcessors: [],
    // Nothing of ours propagates context to Genesys or downstream.
    textMapPropagator: null,
  });
  sdk.start();
  // Export failures of our own spans surface in our logs, not on the console.
  diag.setLogger(diagToPino(logger), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  logger.info(
    { endpoint: config.endpoint, serviceName: config.serviceName, sampler: config.sampler.name },
    "self-telemetry on: the service's own traces go to the OTLP endpoint",
  );
  let stopping: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown: () =>
      (stopping ??= withTimeout(sdk.shutdown(), options.shutdownTimeoutMs ?? 3_000)
        .catch((err: unknown) => logger.warn({ reason: (err as Error)?.message }, 'self-telemetry did not flush its last spans on shutdown'))
        .finally(() => {
          // Release the globals so a later start (tests, a restart in-process) registers afresh.
          trace.disable();
          context.disable();
          propagation.disable();
          diag.disable();
        })),
  };
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the endpoint within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function metadataOf(headers: Readonly<Record<string, string>>): Metadata {
  const metadata = new Metadata();
  for (const [name, value] of Object.entries(headers)) metadata.set(name.toLowerCase(), value);
  return metadata;
}

function samplerOf(s: SelfTelemetrySampler): Sampler {
  switch (s.name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(s.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(s.ratio) });
  }
}

function diagToPino(logger: Logger): DiagLogger {
  const log = (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') => (message: string) => logger[level](`opentelemetry: ${message}`);
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug'), verbose: log('trace') };
}
