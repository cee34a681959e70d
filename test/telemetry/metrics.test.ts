import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type MetricSources, declareServiceMetrics } from '../../src/telemetry/metrics';
import { Histogram } from '../../src/telemetry/metricsHistogram';
import { parseExposition } from './support/exposition';

/** Sources with recognisable numbers. */
function fakeSources(overrides: Partial<MetricSources> = {}): MetricSources {
  const latency = new Histogram([0.1, 1]);
  latency.observe(0.05);
  latency.observe(0.5);
  return {
    receivers: [
      { transport: 'grpc', stats: () => ({ inFlight: 2, accepted: 10, refused: { memory_limit: 3, invalid_argument: 1 } }), spans: () => ({ acceptedSpans: 100, refusedSpans: 7 }) },
      { transport: 'http', stats: () => ({ inFlight: 0, accepted: 1, refused: {} }), spans: () => ({ acceptedSpans: 4, refusedSpans: 0 }) },
    ],
    exporter: {
      name: 'otlp',
      capacitySpans: 1000,
      capacityBytes: 2048,
      stats: () => ({ queuedSpans: 5, queuedBytes: 500, sentSpans: 90, droppedSpans: 2, refusedSpans: 7, rejectedSpans: 1, failedAttempts: 4, retries: 3, backpressuredBatches: 11, backpressureTimeouts: 2 }),
    },
    enrichment: () => ({ enriched: 60, notFound: 20, failed: 6, budgetExpired: 2 }),
    cache: () => ({ size: 42, hits: 50, stale: 5, misses: 30, failures: 6 }),
    batcher: () => ({ batches: 8, pending: 1, rejected: 0 }),
    genesys: () => ({ byStatus: { '200': 9, '503': 4, timeout: 1 }, retries: 4, budgetExhausted: 1 }),
    breaker: () => ({ state: 'open', opened: 1, shortCircuited: 12 }),
    lookupDuration: () => latency.snapshot(),
    memoryLimiter: () => ({ refusing: true, softLimitBytes: 800, limitBytes: 1000 }),
    process: () => ({ rssBytes: 1, heapUsedBytes: 2, heapTotalBytes: 3, externalBytes: 4, cpuSeconds: 5, startTimeSeconds: 6 }),
    runtime: {
      gcPauses: () => [
        { kind: 'minor', pauses: latency.snapshot() },
        { kind: 'major', pauses: { buckets: [{ le: 0.1, count: 0 }, { le: 1, count: 1 }], sum: 0.2, count: 1 } },
      ],
      takeEventLoopDelay: () => ({ p50Seconds: 0.011, p99Seconds: 0.03, maxSeconds: 0.25 }),
    },
    ...overrides,
  };
}

describe('the service metrics', () => {
  it('declare every metric the operations section documents, each with help and type', () => {
    const names = declareServiceMetrics(fakeSources()).names();
    for (const name of [
      'otelcol_receiver_accepted_spans',
      'otelcol_receiver_refused_spans',
      'enricher_receiver_refused_requests_total',
      'otelcol_exporter_sent_spans',
      'otelcol_exporter_send_failed_spans',
      'otelcol_exporter_enqueue_failed_spans',
      'otelcol_exporter_queue_size',
      'otelcol_exporter_queue_capacity',
      'enricher_spans_enriched_total',
      'enricher_cache_requests_total',
      'enricher_cache_size',
      'enricher_genesys_requests_total',
      'enricher_directory_lookup_duration_seconds',
      'enricher_genesys_circuit_state',
      'enricher_memory_limiter_refusing',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds',
      'nodejs_eventloop_delay_seconds',
    ]) {
      assert.ok(names.includes(name), `${name} is declared`);
    }
    const text = declareServiceMetrics(fakeSources()).render();
    const parsed = parseExposition(text);
    assert.deepEqual([...parsed.help.keys()], names, 'every family rendered, with a HELP');
    for (const name of names) assert.ok(parsed.types.has(name), `${name} has a TYPE`);
  });

  it('read each figure from its component, with the Collector labels', () => {
    const m = parseExposition(declareServiceMetrics(fakeSources()).render());
    const grpc = { receiver: 'otlp', transport: 'grpc' };
    assert.equal(m.value('otelcol_receiver_accepted_spans', grpc), 100);
    assert.equal(m.value('otelcol_receiver_refused_spans', grpc), 7);
    assert.equal(m.value('otelcol_receiver_accepted_spans', { receiver: 'otlp', transport: 'http' }), 4);
    assert.equal(m.value('enricher_receiver_refused_requests_total', { transport: 'grpc', reason: 'memory_limit' }), 3);
    assert.equal(m.value('enricher_receiver_requests_in_flight', { transport: 'grpc' }), 2);
    assert.equal(m.value('otelcol_exporter_sent_spans', { exporter: 'otlp' }), 90);
    assert.equal(m.value('otelcol_exporter_send_failed_spans', { exporter: 'otlp' }), 2);
    assert.equal(m.value('otelcol_exporter_enqueue_failed_spans', { exporter: 'otlp' }), 7);
    assert.equal(m.value('otelcol_exporter_queue_size', { exporter: 'otlp' }), 5);
    assert.equal(m.value('otelcol_exporter_queue_capacity', { exporter: 'otlp' }), 1000);
    assert.equal(m.value('enricher_exporter_backpressured_batches_total', { exporter: 'otlp' }), 11);
    assert.equal(m.value('enricher_exporter_backpressure_timeouts_total', { exporter: 'otlp' }), 2);
    assert.equal(m.value('enricher_spans_enriched_total', { outcome: 'enriched' }), 60);
    assert.equal(m.value('enricher_spans_enriched_total', { outcome: 'not_found' }), 20);
    assert.equal(m.value('enricher_spans_enriched_total', { outcome: 'failed' }), 6);
    assert.equal(m.value('enricher_cache_requests_total', { result: 'hit' }), 50);
    assert.equal(m.value('enricher_cache_requests_total', { result: 'stale' }), 5);
    assert.equal(m.value('enricher_cache_requests_total', { result: 'miss' }), 30);
    assert.equal(m.value('enricher_cache_size'), 42);
    assert.equal(m.value('enricher_genesys_requests_total', { status: '503' }), 4);
    assert.equal(m.value('enricher_genesys_requests_total', { status: 'timeout' }), 1);
    assert.equal(m.value('enricher_genesys_circuit_state'), 2);
    assert.equal(m.value('enricher_genesys_circuit_rejected_ids_total'), 12);
    assert.equal(m.value('enricher_directory_lookup_duration_seconds_bucket', { le: '0.1' }), 1);
    assert.equal(m.value('enricher_directory_lookup_duration_seconds_bucket', { le: '+Inf' }), 2);
    assert.equal(m.value('enricher_directory_lookup_duration_seconds_count'), 2);
    assert.equal(m.value('enricher_memory_limiter_refusing'), 1);
    assert.equal(m.value('enricher_memory_limit_bytes', { kind: 'soft' }), 800);
    assert.equal(m.value('process_resident_memory_bytes'), 1);
    assert.equal(m.types.get('nodejs_gc_duration_seconds'), 'histogram');
    assert.equal(m.value('nodejs_gc_duration_seconds_count', { kind: 'minor' }), 2);
    assert.equal(m.value('nodejs_gc_duration_seconds_bucket', { kind: 'major', le: '0.1' }), 0);
    assert.equal(m.value('nodejs_gc_duration_seconds_sum', { kind: 'major' }), 0.2);
    assert.equal(m.value('nodejs_eventloop_delay_seconds', { quantile: '0.99' }), 0.03);
    assert.equal(m.value('nodejs_eventloop_delay_seconds', { quantile: '1' }), 0.25);
  });

  it('leave the runtime families without samples when there is no runtime monitor or no window yet', () => {
    for (const runtime of [undefined, { gcPauses: () => [], takeEventLoopDelay: () => undefined }]) {
      const m = parseExposition(declareServiceMetrics(fakeSources({ runtime })).render());
      assert.ok(m.types.has('nodejs_gc_duration_seconds') && m.types.has('nodejs_eventloop_delay_seconds'), 'declared all the same');
      assert.equal(m.value('nodejs_eventloop_delay_seconds', { quantile: '0.5' }), undefined);
      assert.equal([...m.samples.keys()].filter((k) => k.startsWith('nodejs_gc_duration_seconds')).length, 0);
    }
  });

  it('report the circuit states as 0, 1, 2 and leave out the memory limits when the limiter is off', () => {
    for (const [state, value] of [['closed', 0], ['half_open', 1], ['open', 2]] as const) {
      const m = parseExposition(declareServiceMetrics(fakeSources({ breaker: () => ({ state, opened: 0, shortCircuited: 0 }) })).render());
      assert.equal(m.value('enricher_genesys_circuit_state'), value);
    }
    const m = parseExposition(declareServiceMetrics(fakeSources({ memoryLimiter: () => undefined })).render());
    assert.equal(m.value('enricher_memory_limiter_refusing'), 0);
    assert.equal(m.value('enricher_memory_limit_bytes', { kind: 'soft' }), undefined);
  });

  it('report the persistent queue only when the queue is persistent', () => {
    const base = fakeSources().exporter;
    const persistent = { persistedSpans: 40, syncs: 9, writeFailures: 1, replayedSpans: 3, corruptedRecords: 2, truncatedBytes: 17, diskBytes: 4096 };
    const m = parseExposition(declareServiceMetrics(fakeSources({ exporter: { ...base, stats: () => ({ ...base.stats(), persistent }) } })).render());
    assert.equal(m.value('enricher_exporter_persisted_spans_total', { exporter: 'otlp' }), 40);
    assert.equal(m.value('enricher_exporter_corrupted_records_total', { exporter: 'otlp' }), 2);
    assert.equal(m.value('enricher_exporter_disk_bytes', { exporter: 'otlp' }), 4096);
    const memoryOnly = parseExposition(declareServiceMetrics(fakeSources()).render());
    assert.equal(memoryOnly.value('enricher_exporter_persisted_spans_total', { exporter: 'otlp' }), undefined);
    assert.ok(memoryOnly.types.has('enricher_exporter_persisted_spans_total'), 'declared all the same');
  });

  it('read the real process figures by default', () => {
    const m = parseExposition(declareServiceMetrics(fakeSources({ process: undefined })).render());
    assert.ok(m.value('process_resident_memory_bytes')! > 1_000_000);
    assert.ok(m.value('process_start_time_seconds')! > 1_600_000_000);
  });
});
