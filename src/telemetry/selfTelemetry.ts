import type { SelfTelemetryConfig } from '../config/types';
import type { Logger } from './logger';

/** The running self-telemetry: the global tracer provider while on, nothing while off. */
export interface SelfTelemetry {
  readonly enabled: boolean;
  /** Exports what is buffered, stops, and releases the global tracer provider. Safe twice; a no-op when off. */
  shutdown(): Promise<void>;
}

export interface SelfTelemetryOptions {
  readonly logger: Logger;
  /** Longest a finished span waits in the batch before export, ms. Default 5000 (the SDK's). */
  readonly scheduledDelayMs?: number;
  /** Longest shutdown waits for the last export (an unreachable endpoint must not hold the exit), ms. Default 3000. */
  readonly shutdownTimeoutMs?: number;
}

/**
 * Starts the OpenTelemetry NodeSDK for the service's own traces, when
 * `config.enabled`. Components create spans through `selfTracer()` (the global
 * API), which are no-ops until this runs.
 *
 * Never loops: no instrumentation is registered, so the service's own gRPC and
 * HTTP traffic (OTLP in and out, Genesys, admin) produces no spans by itself;
 * only the spans the code creates on purpose are exported, and config refused
 * an endpoint that is the enricher's own receiver. Metrics and logs readers are
 * off: the SDK would otherwise start OTLP metric and log exporters to
 * localhost:4318 by default.
 */
export function startSelfTelemetry(config: SelfTelemetryConfig, options: SelfTelemetryOptions): SelfTelemetry {
  if (!config.enabled) return { enabled: false, shutdown: async () => undefined };
  // Loaded only when on: the SDK and its OTLP exporter are about 8 MiB of heap a
  // service without self-telemetry would otherwise carry (and mark on every major GC).
  const { startSdk } = require('./selfTelemetrySdk') as typeof import('./selfTelemetrySdk');
  return startSdk(config, options);
}
