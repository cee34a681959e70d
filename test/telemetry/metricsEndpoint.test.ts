/**
 * GET /metrics and readiness of the whole service, as an operator scrapes
 * them: the real service on port 0, the Genesys simulator, a gRPC sink for Jaeger.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { configFromEnv } from '../../src/config/index';
import { type RunningService, startService } from '../../src/service/index';
import { startSimulator } from '../../src/simulator/index';
import { silentLogger } from '../../src/telemetry/logger';
import { type Harness, sendSpans, startHarness } from '../helpers/enricherHarness';
import { GrpcSink } from '../helpers/grpcSink';
import { kvString } from '../helpers/otlpWire';
import { STATUS_DETAILS_KEY, decodeRetryDelayMs } from '../../src/receiver/otlpgrpc/index';
import { rawClient } from '../helpers/rawGrpcClient';
import { serviceEnv } from '../helpers/serviceEnv';
import { adminGet, parseExposition } from './support/exposition';
import { requestOf, spanBody } from './support/wireSpans';

const GRPC = { receiver: 'otlp', transport: 'grpc' };

describe('GET /metrics of the running service', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('serves Prometheus text that follows the traffic: accepted spans, enrichment outcomes, Genesys calls, exports', async () => {
    h = await startHarness({ env: { ENRICHER_LOOKUP_BUDGET_MS: '3000' } });
    const [alice, bob] = h.sim.org.active;
    await sendSpans(h.client(), [alice, bob, alice, h.sim.org.unknown[0], 'not-a-user-id', undefined]);
    await h.sink.waitForSpans(6);
    const raw = rawClient(h.service.grpcPort);
    assert.equal((await raw.export(Buffer.from('garbage, not protobuf'))).code, grpc.status.INVALID_ARGUMENT);
    raw.close();

    const scrape = await adminGet(h.service.adminPort, '/metrics');

    assert.equal(scrape.status, 200);
    assert.equal(scrape.contentType, 'text/plain; version=0.0.4; charset=utf-8');
    const m = parseExposition(scrape.body);
    assert.equal(m.value('otelcol_receiver_accepted_spans', GRPC), 6);
    assert.equal(m.value('otelcol_receiver_refused_spans', GRPC), 0, 'the garbage had no countable spans');
    assert.equal(m.value('enricher_receiver_refused_requests_total', { transport: 'grpc', reason: 'invalid_argument' }), 1);
    assert.equal(m.value('enricher_receiver_accepted_requests_total', { transport: 'grpc' }), 1);
    assert.equal(m.value('enricher_spans_enriched_total', { outcome: 'enriched' }), 3);
    assert.equal(m.value('enricher_spans_enriched_total', { outcome: 'not_found' }), 2);
    assert.equal(m.value('enricher_spans_enriched_total', { outcome: 'failed' }), 0);
    assert.equal(m.value('otelcol_exporter_sent_spans', { exporter: 'otlp' }), 6);
    assert.equal(m.value('otelcol_exporter_queue_size', { exporter: 'otlp' }), 0);
    assert.equal(m.value('otelcol_exporter_queue_capacity', { exporter: 'otlp' }), 1_000_000);
    assert.equal(m.value('enricher_genesys_requests_total', { status: '200' }), 2, 'the token and one bulk look-up');
    assert.equal(m.value('enricher_directory_lookup_duration_seconds_count'), 1);
    assert.equal(m.value('enricher_cache_requests_total', { result: 'miss' }), 3, 'alice, bob and the unknown id');
    assert.equal(m.value('enricher_cache_size'), 3);
    assert.equal(m.value('enricher_genesys_circuit_state'), 0);
    assert.ok(m.value('process_resident_memory_bytes')! > 0);
    assert.equal(m.types.get('nodejs_gc_duration_seconds'), 'histogram');
    for (const kind of ['minor', 'major', 'incremental', 'weakcb']) assert.ok(m.value('nodejs_gc_duration_seconds_count', { kind }) !== undefined, `GC pauses of kind ${kind}`);
    const maxDelay = m.value('nodejs_eventloop_delay_seconds', { quantile: '1' });
    assert.ok(maxDelay !== undefined && maxDelay >= 0, 'the event-loop delay of the running service');
  });

  it('counts the spans of a request the full queue refused as refused spans', async () => {
    h = await startHarness({ env: { ENRICHER_EXPORT_QUEUE_MAX_SPANS: '3', ENRICHER_EXPORT_CONCURRENCY: '1' } });
    h.sink.hold();
    const raw = rawClient(h.service.grpcPort);
    const twoSpans = requestOf(spanBody('one'), spanBody('two'));
    assert.equal((await raw.export(twoSpans)).code, grpc.status.OK);
    const refused = await raw.export(twoSpans);
    raw.close();
    assert.equal(refused.code, grpc.status.UNAVAILABLE);

    const m = parseExposition((await adminGet(h.service.adminPort, '/metrics')).body);
    assert.equal(m.value('otelcol_receiver_accepted_spans', GRPC), 2);
    assert.equal(m.value('otelcol_receiver_refused_spans', GRPC), 2);
    assert.equal(m.value('enricher_receiver_refused_requests_total', { transport: 'grpc', reason: 'queue_full' }), 1);
    assert.equal(m.value('otelcol_exporter_enqueue_failed_spans', { exporter: 'otlp' }), 2);
    assert.equal(m.value('otelcol_exporter_queue_size', { exporter: 'otlp' }), 2);
    h.sink.release();
  });
});

describe('the memory limit of the running service', () => {
  let service: RunningService | undefined;
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await service?.shutdown();
    for (const close of closers.splice(0)) await close();
  });

  it('refuses with UNAVAILABLE + RetryInfo and reports not ready above the soft limit, and recovers by itself', async () => {
    const sim = await startSimulator();
    const sink = await GrpcSink.start();
    closers.push(() => sink.close(), () => sim.close());
    const memory = { usedMiB: 10 };
    const config = configFromEnv(serviceEnv(sim, sink.endpoint, { ENRICHER_MEMORY_LIMIT_MIB: '100', ENRICHER_MEMORY_CHECK_INTERVAL_MS: '10' }));
    service = await startService(config, { logger: silentLogger(), debugOutput: new PassThrough(), readMemory: () => memory.usedMiB * 2 ** 20 });
    const raw = rawClient(service.grpcPort);
    closers.unshift(async () => raw.close());
    const request = requestOf(spanBody('under pressure', kvString('external.user.id', sim.org.active[0])));
    assert.equal((await raw.export(request)).code, grpc.status.OK);
    assert.equal((await adminGet(service.adminPort, '/readyz')).status, 200);

    memory.usedMiB = 85; // above the soft limit of 80 MiB (100 - 20%)
    await waitFor(async () => (await adminGet(service!.adminPort, '/readyz')).status === 503);
    const refused = await raw.export(request);
    assert.equal(refused.code, grpc.status.UNAVAILABLE);
    assert.match(refused.details, /memory limit reached/);
    assert.equal(decodeRetryDelayMs(refused.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer), 1000);
    const readyz = JSON.parse((await adminGet(service.adminPort, '/readyz')).body);
    assert.deepEqual(readyz.checks, { exporter: true, receiver: true, memory: false });
    let m = parseExposition((await adminGet(service.adminPort, '/metrics')).body);
    assert.equal(m.value('enricher_memory_limiter_refusing'), 1);
    assert.equal(m.value('enricher_memory_limit_bytes', { kind: 'soft' }), 80 * 2 ** 20);
    assert.equal(m.value('enricher_receiver_refused_requests_total', { transport: 'grpc', reason: 'memory_limit' }), 1);
    const overHttp = await fetch(`http://127.0.0.1:${service.httpPort}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: request,
    });
    await overHttp.arrayBuffer();
    assert.equal(overHttp.status, 429, 'OTLP/HTTP is limited too');
    assert.equal(overHttp.headers.get('retry-after'), '1');
    m = parseExposition((await adminGet(service.adminPort, '/metrics')).body);
    assert.equal(m.value('enricher_receiver_refused_requests_total', { transport: 'http', reason: 'memory_limit' }), 1);

    memory.usedMiB = 50;
    await waitFor(async () => (await adminGet(service!.adminPort, '/readyz')).status === 200);
    assert.equal((await raw.export(request)).code, grpc.status.OK);
    const httpAccepted = await fetch(`http://127.0.0.1:${service.httpPort}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: request });
    await httpAccepted.arrayBuffer();
    assert.equal(httpAccepted.status, 200);
    m = parseExposition((await adminGet(service.adminPort, '/metrics')).body);
    assert.equal(m.value('enricher_memory_limiter_refusing'), 0);
    await sink.waitForSpans(3);
    assert.equal(m.value('otelcol_receiver_accepted_spans', GRPC), 2);
    assert.equal(m.value('otelcol_receiver_accepted_spans', { receiver: 'otlp', transport: 'http' }), 1, 'each receiver counts its own spans');
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
