/**
 * The metrics of look-ups that outlast the look-up budget: batches held for
 * Genesys (the processors count, the sending queue holds) and the process's
 * Genesys request budget (the shared rate limiter).
 */
import type { HistogramSnapshot } from './metricsHistogram';
import { type MetricsRegistry, sample } from './metricsRegistry';

import { UNRESOLVED_CAUSES, type UnresolvedCause } from '../processor/enrich/stats';

export interface HoldSource {
  /** Batches handed on held, summed over the processors. */
  heldTotal(): number;
  /** Failed spans by reason, summed over the processors. */
  unresolved(): Readonly<Record<UnresolvedCause, number>>;
  /** The sending queue's hold now (gauges) and its overflows (counter). */
  queue(): { readonly heldBatches: number; readonly heldSpans: number; readonly heldBytes: number; readonly holdOverflows: number };
  /** How long held batches were held, seconds. */
  duration(): HistogramSnapshot;
  /** The Genesys budget (RequestRateLimiter.stats()). */
  budget(): { readonly granted: number; readonly delayed: number; readonly waitedMs: number; readonly throttled: number };
}

export function declareHoldMetrics(registry: MetricsRegistry, source: HoldSource): void {
  registry
    .add({ name: 'enricher_hold_batches', help: 'Batches held inside the enricher for Genesys look-ups (their clients already answered); part of otelcol_exporter_queue_size.', type: 'gauge', collect: () => [sample(source.queue().heldBatches)] })
    .add({ name: 'enricher_hold_spans', help: 'Spans in held batches.', type: 'gauge', collect: () => [sample(source.queue().heldSpans)] })
    .add({ name: 'enricher_hold_bytes', help: 'Request bytes of held batches (bounded by ENRICHER_LOOKUP_HOLD_MAX_MIB).', type: 'gauge', collect: () => [sample(source.queue().heldBytes)] })
    .add({ name: 'enricher_held_batches_total', help: 'Batches held because look-ups were unanswered when ENRICHER_LOOKUP_BUDGET_MS ran out.', type: 'counter', collect: () => [sample(source.heldTotal())] })
    .add({ name: 'enricher_hold_duration_seconds', help: 'How long held batches waited for Genesys before they were enriched and queued to be sent.', type: 'histogram', collect: () => [source.duration()] })
    .add({ name: 'enricher_hold_overflows_total', help: 'Held batches released early (with what was known) because the hold reached ENRICHER_LOOKUP_HOLD_MAX_SPANS or _MIB.', type: 'counter', collect: () => [sample(source.queue().holdOverflows)] })
    .add({
      name: 'enricher_unresolved_spans_total',
      help: 'Spans that left marked genesys.user.lookup=failed, by reason: budget_expired (hold off), hold_expired (ENRICHER_LOOKUP_HOLD_MS ran out), overflow (the hold was full), breaker_open (Genesys known down), shutdown.',
      type: 'counter',
      collect: () => {
        const counts = source.unresolved();
        return UNRESOLVED_CAUSES.map((reason) => sample(counts[reason], { reason }));
      },
    })
    .add({ name: 'enricher_genesys_budget_granted_total', help: 'Genesys requests let through by the process budget (ENRICHER_GENESYS_MAX_RPM): look-ups, warm-up and deactivation.', type: 'counter', collect: () => [sample(source.budget().granted)] })
    .add({ name: 'enricher_genesys_budget_delayed_total', help: 'Of those, requests that waited for a turn.', type: 'counter', collect: () => [sample(source.budget().delayed)] })
    .add({ name: 'enricher_genesys_budget_wait_seconds_total', help: 'Time requests waited for the budget, summed.', type: 'counter', collect: () => [sample(source.budget().waitedMs / 1000)] })
    .add({ name: 'enricher_genesys_throttled_total', help: 'Genesys 429 answers; each pauses the whole budget for its Retry-After.', type: 'counter', collect: () => [sample(source.budget().throttled)] });
}
