import type { ExportConfig } from '../config/index';
import type { QueuedExporter } from '../exporter/index';
import type { EnrichmentProcessor } from '../processor/enrich/index';
import type { MemoryLimiter } from '../receiver/limits/index';
import { type ReceiverSource, declareServiceMetrics } from '../telemetry/metrics';
import { UNRESOLVED_CAUSES, type UnresolvedCause } from '../processor/enrich/stats';
import type { Histogram } from '../telemetry/metricsHistogram';
import type { RequestRateLimiter } from '../directory/index';
import type { MetricsRegistry } from '../telemetry/metricsRegistry';
import type { RuntimeSource } from '../telemetry/runtimeMonitor';
import type { DirectoryParts } from './directory';

/** The components whose `stats()` the metrics read. */
export interface MetricsParts {
  readonly receivers: readonly ReceiverSource[];
  readonly exporter: QueuedExporter;
  readonly exportConfig: ExportConfig;
  /** One enrichment processor per receiver; their outcomes are summed. */
  readonly processors: readonly EnrichmentProcessor[];
  readonly directory: DirectoryParts;
  readonly memory: MemoryLimiter | undefined;
  /** GC pauses and event-loop delay of this process. */
  readonly runtime: RuntimeSource;
  /** How long held batches were held, seconds. */
  readonly holdDuration: Histogram;
  /** The process's Genesys budget. */
  readonly genesysBudget: RequestRateLimiter;
}

/** The service's metrics over its components (see telemetry/metrics.ts for every name). */
export function buildMetrics(parts: MetricsParts): MetricsRegistry {
  const { exporter, exportConfig, processors, directory, memory } = parts;
  return declareServiceMetrics({
    receivers: parts.receivers,
    exporter: {
      name: exportConfig.endpoint ? 'otlp' : 'debug',
      capacitySpans: exportConfig.queueMaxSpans,
      capacityBytes: exportConfig.queueMaxBytes,
      stats: () => exporter.stats(),
    },
    enrichment: () => {
      const sum = { enriched: 0, notFound: 0, failed: 0, budgetExpired: 0 };
      for (const { stats } of processors) {
        sum.enriched += stats.enriched;
        sum.notFound += stats.notFound;
        sum.failed += stats.failed;
        sum.budgetExpired += stats.budgetExpired;
      }
      return sum;
    },
    cache: () => directory.resolver.stats(),
    batcher: () => directory.batcher.stats(),
    genesys: () => directory.client.stats(),
    breaker: () => directory.breaker.stats(),
    lookupDuration: () => directory.lookupDuration.snapshot(),
    memoryLimiter: () => memory?.stats(),
    runtime: parts.runtime,
    hold: {
      heldTotal: () => processors.reduce((n, p) => n + p.stats.held, 0),
      unresolved: () => {
        const sum = Object.fromEntries(UNRESOLVED_CAUSES.map((cause) => [cause, 0])) as Record<UnresolvedCause, number>;
        for (const { stats } of processors) for (const cause of UNRESOLVED_CAUSES) sum[cause] += stats.unresolved[cause];
        return sum;
      },
      queue: () => exporter.stats(),
      duration: () => parts.holdDuration.snapshot(),
      budget: () => parts.genesysBudget.stats(),
    },
  });
}
