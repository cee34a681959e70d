/**
 * THE place that declares every metric of the service: name, help, type, and
 * the callback that reads it from a component's `stats()` at scrape time.
 * Components only count; nothing here is updated on the hot path except the
 * look-up histogram the directory observes into.
 *
 * Names follow the Collector's own telemetry where it has the metric
 * (`otelcol_receiver_*`, `otelcol_exporter_*`, same labels), `enricher_*`
 * otherwise, and the Prometheus client conventions for process figures.
 * Counters count since start; `enricher_*` counters end in `_total`, the
 * `otelcol_*` ones keep the Collector's names.
 */
import { CIRCUIT_STATE_VALUE, type CircuitState } from '../directory/breaker/circuitBreaker';
import type { HistogramSnapshot } from './metricsHistogram';
import { type Labels, MetricsRegistry, type Sample } from './metricsRegistry';
import type { RuntimeSource } from './runtimeMonitor';
import { declareHoldMetrics, type HoldSource } from './metricsHold';

/** One receiver (one transport) as the metrics see it. */
export interface ReceiverSource {
  /** `transport` label: `grpc` or `http`. */
  readonly transport: string;
  /** The receiver's request guard counters (OtlpGrpcReceiver.stats()). */
  stats(): { readonly inFlight: number; readonly accepted: number; readonly refused: Readonly<Record<string, number>> };
  /** The hand-off tap behind this receiver's processor: spans accepted and refused. */
  spans(): { readonly acceptedSpans: number; readonly refusedSpans: number };
  /** Connections open now and refused at the receiver's cap (ConnectionLimit.stats()); absent: not reported. */
  connections?(): { readonly open: number; readonly refused: number; readonly idleClosed: number };
}

/** The sending queue (QueuedExporter.stats()) and its bounds. */
export interface ExporterSource {
  /** `exporter` label: `otlp`, or `debug` without an endpoint. */
  readonly name: string;
  /** Queue bounds, spans and bytes. */
  readonly capacitySpans: number;
  readonly capacityBytes: number;
  stats(): {
    readonly queuedSpans: number;
    readonly queuedBytes: number;
    readonly sentSpans: number;
    readonly droppedSpans: number;
    readonly refusedSpans: number;
    readonly rejectedSpans: number;
    readonly failedAttempts: number;
    readonly retries: number;
    readonly backpressuredBatches: number;
    readonly backpressureTimeouts: number;
    /** Present only with the persistent queue (ENRICHER_EXPORT_QUEUE_DIR). */
    readonly persistent?: {
      readonly persistedSpans: number;
      readonly syncs: number;
      readonly writeFailures: number;
      readonly replayedSpans: number;
      readonly corruptedRecords: number;
      readonly truncatedBytes: number;
      readonly diskBytes: number;
    };
  };
}

/** Everything the metrics read; each is a component's snapshot function. */
export interface MetricSources {
  readonly receivers: readonly ReceiverSource[];
  readonly exporter: ExporterSource;
  /** Enrichment outcomes, summed over the processors (one per receiver). */
  enrichment(): { readonly enriched: number; readonly notFound: number; readonly failed: number; readonly budgetExpired: number };
  /** CachedIdentityResolver.stats(). */
  cache(): { readonly size: number; readonly hits: number; readonly stale: number; readonly misses: number; readonly failures: number };
  /** UserBatcher.stats(). */
  batcher(): { readonly batches: number; readonly pending: number; readonly rejected: number };
  /** GenesysClient.stats(). */
  genesys(): { readonly byStatus: Readonly<Record<string, number>>; readonly retries: number; readonly budgetExhausted: number };
  /** CircuitBreaker.stats(). */
  breaker(): { readonly state: CircuitState; readonly opened: number; readonly shortCircuited: number };
  /** The bulk look-up duration histogram, seconds. */
  lookupDuration(): HistogramSnapshot;
  /** MemoryLimiter.stats(); undefined when the limiter is off. */
  memoryLimiter(): { readonly refusing: boolean; readonly softLimitBytes: number; readonly limitBytes: number; readonly rssLimitBytes?: number } | undefined;
  /** Process figures; default `process.memoryUsage()`, `process.cpuUsage()`. */
  process?(): ProcessFigures;
  /** GC pauses and event-loop delay (a RuntimeMonitor); without it those families have no samples. */
  runtime?: RuntimeSource;
  /** Batches held for Genesys and the Genesys budget; without it those families are not declared. */
  hold?: HoldSource;
}

export interface ProcessFigures {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  readonly externalBytes: number;
  /** User + system CPU time, seconds. */
  readonly cpuSeconds: number;
  /** Unix time the process started, seconds. */
  readonly startTimeSeconds: number;
}

const OUTCOMES = ['enriched', 'not_found', 'failed'] as const;

/** Declares every metric of the service over `sources`. */
export function declareServiceMetrics(sources: MetricSources): MetricsRegistry {
  const registry = new MetricsRegistry();
  declareReceiverMetrics(registry, sources.receivers);
  declareExporterMetrics(registry, sources.exporter);
  declareEnrichmentMetrics(registry, sources);
  declareDirectoryMetrics(registry, sources);
  declareProcessMetrics(registry, sources);
  declareRuntimeMetrics(registry, sources.runtime);
  if (sources.hold) declareHoldMetrics(registry, sources.hold);
  return registry;
}

function declareReceiverMetrics(registry: MetricsRegistry, receivers: readonly ReceiverSource[]): void {
  const per = (read: (r: ReceiverSource) => number) => () => receivers.map((r) => sample(read(r), { receiver: 'otlp', transport: r.transport }));
  registry
    .add({
      name: 'otelcol_receiver_accepted_spans',
      help: 'Spans the receiver handed to the pipeline and the sending queue took (counted once the processor has counted them).',
      type: 'counter',
      collect: per((r) => r.spans().acceptedSpans),
    })
    .add({
      name: 'otelcol_receiver_refused_spans',
      help: 'Spans of requests refused with an error after they were counted (queue full, queue bounds, shutting down); refusals before counting are in enricher_receiver_refused_requests_total.',
      type: 'counter',
      collect: per((r) => r.spans().refusedSpans),
    })
    .add({
      name: 'enricher_receiver_accepted_requests_total',
      help: 'Export requests answered OK.',
      type: 'counter',
      collect: () => receivers.map((r) => sample(r.stats().accepted, { transport: r.transport })),
    })
    .add({
      name: 'enricher_receiver_refused_requests_total',
      help: 'Export requests refused, by reason: memory_limit, concurrency_limit, deadline_exceeded, receive_timeout (body not arrived in time), too_large, aborted (client went away), invalid_argument (malformed), queue_full, shutting_down, unavailable, internal.',
      type: 'counter',
      collect: () => receivers.flatMap((r) => Object.entries(r.stats().refused).map(([reason, n]) => sample(n, { transport: r.transport, reason }))),
    })
    .add({
      name: 'enricher_receiver_open_connections',
      help: 'Connections open to the receiver now (capped by ENRICHER_OTLP_MAX_CONNECTIONS).',
      type: 'gauge',
      collect: () => receivers.flatMap((r) => (r.connections ? [sample(r.connections().open, { transport: r.transport })] : [])),
    })
    .add({
      name: 'enricher_receiver_refused_connections_total',
      help: 'Connections closed on arrival because the receiver had ENRICHER_OTLP_MAX_CONNECTIONS open.',
      type: 'counter',
      collect: () => receivers.flatMap((r) => (r.connections ? [sample(r.connections().refused, { transport: r.transport })] : [])),
    })
    .add({
      name: 'enricher_receiver_idle_closed_connections_total',
      help: 'Connections closed after ENRICHER_OTLP_IDLE_TIMEOUT_MS without traffic.',
      type: 'counter',
      collect: () => receivers.flatMap((r) => (r.connections ? [sample(r.connections().idleClosed, { transport: r.transport })] : [])),
    })
    .add({
      name: 'enricher_receiver_requests_in_flight',
      help: 'Export requests being processed now (capped by ENRICHER_OTLP_GRPC_MAX_CONCURRENT_REQUESTS).',
      type: 'gauge',
      collect: () => receivers.map((r) => sample(r.stats().inFlight, { transport: r.transport })),
    });
}

function declareExporterMetrics(registry: MetricsRegistry, exporter: ExporterSource): void {
  const labels = { exporter: exporter.name };
  const one = (read: (s: ReturnType<ExporterSource['stats']>) => number) => () => [sample(read(exporter.stats()), labels)];
  registry
    .add({ name: 'otelcol_exporter_sent_spans', help: 'Spans the backend accepted.', type: 'counter', collect: one((s) => s.sentSpans) })
    .add({
      name: 'otelcol_exporter_send_failed_spans',
      help: 'Spans given up after a permanent error, the retry time running out, or shutdown: lost, and logged.',
      type: 'counter',
      collect: one((s) => s.droppedSpans),
    })
    .add({
      name: 'otelcol_exporter_enqueue_failed_spans',
      help: 'Spans the sending queue refused (full, bounds, stopping); their senders were told to retry.',
      type: 'counter',
      collect: one((s) => s.refusedSpans),
    })
    .add({ name: 'otelcol_exporter_queue_size', help: 'Spans in the sending queue: waiting, being sent or waiting to retry.', type: 'gauge', collect: one((s) => s.queuedSpans) })
    .add({ name: 'otelcol_exporter_queue_capacity', help: 'Most spans the sending queue holds (ENRICHER_EXPORT_QUEUE_MAX_SPANS).', type: 'gauge', collect: () => [sample(exporter.capacitySpans, labels)] })
    .add({ name: 'enricher_exporter_queue_bytes', help: 'Request bytes in the sending queue.', type: 'gauge', collect: one((s) => s.queuedBytes) })
    .add({ name: 'enricher_exporter_queue_capacity_bytes', help: 'Most request bytes the sending queue holds (ENRICHER_EXPORT_QUEUE_MAX_MIB).', type: 'gauge', collect: () => [sample(exporter.capacityBytes, labels)] })
    .add({ name: 'enricher_exporter_send_failures_total', help: 'Export attempts that failed, retried or not.', type: 'counter', collect: one((s) => s.failedAttempts) })
    .add({ name: 'enricher_exporter_retries_total', help: 'Export retries scheduled after retryable failures.', type: 'counter', collect: one((s) => s.retries) })
    .add({
      name: 'enricher_exporter_backpressured_batches_total',
      help: 'Batches whose acknowledgement waited for the sending queue to drain (backpressure, ENRICHER_EXPORT_BACKPRESSURE_MS).',
      type: 'counter',
      collect: one((s) => s.backpressuredBatches),
    })
    .add({
      name: 'enricher_exporter_backpressure_timeouts_total',
      help: 'Backpressure waits cut short by ENRICHER_EXPORT_BACKPRESSURE_MS before the queue drained: the backend takes longer than that to catch up.',
      type: 'counter',
      collect: one((s) => s.backpressureTimeouts),
    })
    .add({
      name: 'enricher_exporter_rejected_spans_total',
      help: 'Spans the backend refused inside accepted requests (OTLP partial success).',
      type: 'counter',
      collect: one((s) => s.rejectedSpans),
    });
  declarePersistentQueueMetrics(registry, exporter);
}

// Families with no sample unless the queue is persistent.
function declarePersistentQueueMetrics(registry: MetricsRegistry, exporter: ExporterSource): void {
  type Persistent = NonNullable<ReturnType<ExporterSource['stats']>['persistent']>;
  const labels = { exporter: exporter.name };
  const ifPersistent = (read: (p: Persistent) => number) => () => {
    const p = exporter.stats().persistent;
    return p ? [sample(read(p), labels)] : [];
  };
  registry
    .add({ name: 'enricher_exporter_persisted_spans_total', help: 'Spans written and synced to the persistent queue before their request was acknowledged.', type: 'counter', collect: ifPersistent((p) => p.persistedSpans) })
    .add({ name: 'enricher_exporter_persist_syncs_total', help: 'fdatasync calls of the persistent queue (requests share them).', type: 'counter', collect: ifPersistent((p) => p.syncs) })
    .add({ name: 'enricher_exporter_persist_failures_total', help: 'Writes to the persistent queue that failed; their requests were refused with a retryable status.', type: 'counter', collect: ifPersistent((p) => p.writeFailures) })
    .add({ name: 'enricher_exporter_replayed_spans_total', help: 'Spans found undelivered on disk at start and queued again.', type: 'counter', collect: ifPersistent((p) => p.replayedSpans) })
    .add({ name: 'enricher_exporter_corrupted_records_total', help: 'Persistent queue records skipped at start because their checksum did not match: their spans are lost.', type: 'counter', collect: ifPersistent((p) => p.corruptedRecords) })
    .add({ name: 'enricher_exporter_truncated_bytes_total', help: 'Bytes of torn last writes cut off at start (never acknowledged).', type: 'counter', collect: ifPersistent((p) => p.truncatedBytes) })
    .add({ name: 'enricher_exporter_disk_bytes', help: 'Bytes of persistent queue segment files on disk.', type: 'gauge', collect: ifPersistent((p) => p.diskBytes) });
}

function declareEnrichmentMetrics(registry: MetricsRegistry, sources: MetricSources): void {
  registry
    .add({
      name: 'enricher_spans_enriched_total',
      help: 'Spans (or resources) carrying a user id, by outcome: enriched, not_found (no such user or not a user id), failed (no answer within the look-up budget, or the circuit is open).',
      type: 'counter',
      collect: () => {
        const s = sources.enrichment();
        const counts = { enriched: s.enriched, not_found: s.notFound, failed: s.failed };
        return OUTCOMES.map((outcome) => sample(counts[outcome], { outcome }));
      },
    })
    .add({
      name: 'enricher_lookup_budget_expired_total',
      help: 'Requests forwarded because the look-up budget (ENRICHER_LOOKUP_BUDGET_MS) ran out before Genesys answered.',
      type: 'counter',
      collect: () => [sample(sources.enrichment().budgetExpired)],
    });
}

function declareDirectoryMetrics(registry: MetricsRegistry, sources: MetricSources): void {
  registry
    .add({
      name: 'enricher_cache_requests_total',
      help: 'Cache probes by result: hit (fresh), stale (served while refreshed), miss.',
      type: 'counter',
      collect: () => {
        const c = sources.cache();
        return [sample(c.hits, { result: 'hit' }), sample(c.stale, { result: 'stale' }), sample(c.misses, { result: 'miss' })];
      },
    })
    .add({ name: 'enricher_cache_size', help: 'Users (and unknown ids) in the cache, look-ups in flight included.', type: 'gauge', collect: () => [sample(sources.cache().size)] })
    .add({ name: 'enricher_cache_fetch_failures_total', help: 'Look-ups that failed (not cached; a stale entry keeps serving).', type: 'counter', collect: () => [sample(sources.cache().failures)] })
    .add({ name: 'enricher_directory_batches_total', help: 'Bulk look-ups the batcher sent (each at most 100 ids).', type: 'counter', collect: () => [sample(sources.batcher().batches)] })
    .add({ name: 'enricher_directory_pending_ids', help: 'Ids waiting for a bulk look-up.', type: 'gauge', collect: () => [sample(sources.batcher().pending)] })
    .add({
      name: 'enricher_directory_rejected_ids_total',
      help: 'Ids failed at once because 10,000 were already pending.',
      type: 'counter',
      collect: () => [sample(sources.batcher().rejected)],
    })
    .add({
      name: 'enricher_directory_lookup_duration_seconds',
      help: 'Duration of bulk look-ups that reached Genesys, retries and waits included.',
      type: 'histogram',
      collect: () => [sources.lookupDuration()],
    })
    .add({
      name: 'enricher_genesys_requests_total',
      help: 'HTTP requests to Genesys (token requests included) by status: the HTTP status, or network / timeout when none came back.',
      type: 'counter',
      collect: () => Object.entries(sources.genesys().byStatus).map(([status, n]) => sample(n, { status })),
    })
    .add({ name: 'enricher_genesys_retries_total', help: 'Genesys requests retried after 429, 5xx, network errors or timeouts.', type: 'counter', collect: () => [sample(sources.genesys().retries)] })
    .add({
      name: 'enricher_genesys_budget_exhausted_total',
      help: 'Genesys calls given up because their retry budget ran out.',
      type: 'counter',
      collect: () => [sample(sources.genesys().budgetExhausted)],
    })
    .add({
      name: 'enricher_genesys_circuit_state',
      help: 'The Genesys circuit breaker: 0 closed, 1 half-open (the next look-up is a probe), 2 open (look-ups fail at once).',
      type: 'gauge',
      collect: () => [sample(CIRCUIT_STATE_VALUE[sources.breaker().state])],
    })
    .add({ name: 'enricher_genesys_circuit_opened_total', help: 'Times the Genesys circuit opened.', type: 'counter', collect: () => [sample(sources.breaker().opened)] })
    .add({
      name: 'enricher_genesys_circuit_rejected_ids_total',
      help: 'Id look-ups failed at once because the circuit was open.',
      type: 'counter',
      collect: () => [sample(sources.breaker().shortCircuited)],
    });
}

function declareProcessMetrics(registry: MetricsRegistry, sources: MetricSources): void {
  const figures = () => (sources.process ?? processFigures)();
  registry
    .add({
      name: 'enricher_memory_limiter_refusing',
      help: '1 while the memory limiter refuses requests (memory at or above its soft limit), else 0.',
      type: 'gauge',
      collect: () => [sample(sources.memoryLimiter()?.refusing ? 1 : 0)],
    })
    .add({
      name: 'enricher_memory_limit_bytes',
      help: 'The memory limiter\'s limits, by kind: soft (refusing starts) and hard on heap + external memory, rss (the RSS backstop, when on); absent when the limiter is off.',
      type: 'gauge',
      collect: () => {
        const m = sources.memoryLimiter();
        if (!m) return [];
        const limits = [sample(m.softLimitBytes, { kind: 'soft' }), sample(m.limitBytes, { kind: 'hard' })];
        return m.rssLimitBytes ? [...limits, sample(m.rssLimitBytes, { kind: 'rss' })] : limits;
      },
    })
    .add({ name: 'process_resident_memory_bytes', help: 'Resident set size, bytes.', type: 'gauge', collect: () => [sample(figures().rssBytes)] })
    .add({ name: 'nodejs_heap_size_used_bytes', help: 'V8 heap in use, bytes.', type: 'gauge', collect: () => [sample(figures().heapUsedBytes)] })
    .add({ name: 'nodejs_heap_size_total_bytes', help: 'V8 heap allocated, bytes.', type: 'gauge', collect: () => [sample(figures().heapTotalBytes)] })
    .add({ name: 'nodejs_external_memory_bytes', help: 'Memory of Buffers and other objects outside the V8 heap, bytes.', type: 'gauge', collect: () => [sample(figures().externalBytes)] })
    .add({ name: 'process_cpu_seconds_total', help: 'User and system CPU time, seconds.', type: 'counter', collect: () => [sample(figures().cpuSeconds)] })
    .add({ name: 'process_start_time_seconds', help: 'Start time of the process since the Unix epoch, seconds.', type: 'gauge', collect: () => [sample(figures().startTimeSeconds)] });
}

function declareRuntimeMetrics(registry: MetricsRegistry, runtime: RuntimeSource | undefined): void {
  registry
    .add({
      name: 'nodejs_gc_duration_seconds',
      help: 'Garbage-collection pauses of the main thread by kind (minor, major, incremental, weakcb), seconds.',
      type: 'histogram',
      collect: () => (runtime ? runtime.gcPauses().map(({ kind, pauses }) => ({ ...pauses, labels: { kind } })) : []),
    })
    .add({
      name: 'nodejs_eventloop_delay_seconds',
      help: 'Event-loop delay since the previous scrape, seconds, by quantile: 0.5, 0.99, and 1 (the longest).',
      type: 'gauge',
      collect: () => {
        const d = runtime?.takeEventLoopDelay();
        return d ? [sample(d.p50Seconds, { quantile: '0.5' }), sample(d.p99Seconds, { quantile: '0.99' }), sample(d.maxSeconds, { quantile: '1' })] : [];
      },
    });
}

/** The running process's figures. */
export function processFigures(): ProcessFigures {
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rssBytes: m.rss,
    heapUsedBytes: m.heapUsed,
    heapTotalBytes: m.heapTotal,
    externalBytes: m.external,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    startTimeSeconds: Math.round((Date.now() - process.uptime() * 1000) / 1000),
  };
}

function sample(value: number, labels?: Labels): Sample {
  return labels ? { value, labels } : { value };
}
