import { trace, type Tracer } from '@opentelemetry/api';

/** Instrumentation scope of the service's own spans. */
export const SELF_TRACER_NAME = 'genesys-otel-enricher';

/**
 * The tracer components default to: the global one of `@opentelemetry/api`.
 * It does nothing until self-telemetry registers the SDK (ENRICHER_SELF_TELEMETRY=on),
 * so components need no wiring beyond an optional `tracer` option for tests.
 * Imports only the API, never the SDK.
 */
export function selfTracer(): Tracer {
  return trace.getTracer(SELF_TRACER_NAME);
}
