import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { OtlpGrpcExporter, type OtlpGrpcExporterOptions } from '../../../src/exporter/otlpgrpc/index';
import { silentLogger } from '../../../src/telemetry/logger';
import { GrpcSink } from '../../helpers/grpcSink';
import { encodeRequest, makeRequest } from '../../helpers/otlpFixtures';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: Partial<OtlpGrpcExporterOptions> = {}): Promise<{ sink: GrpcSink; exporter: OtlpGrpcExporter }> {
  const sink = await GrpcSink.start();
  cleanups.push(() => sink.close());
  const exporter = new OtlpGrpcExporter({ endpoint: sink.endpoint, logger: silentLogger(), ...options });
  await exporter.start();
  cleanups.push(() => exporter.shutdown());
  return { sink, exporter };
}

const batch = (spans = 3) => ({ bytes: encodeRequest(makeRequest({ spans })), spanCount: spans });

describe('OtlpGrpcExporter', () => {
  it('delivers the batch bytes unchanged', async () => {
    const { sink, exporter } = await setup();
    const sent = batch(5);

    assert.deepEqual(await exporter.send(sent), { status: 'success' });
    assert.equal(sink.requests.length, 1);
    assert.deepEqual(sink.requests[0].bytes, sent.bytes);
    assert.equal(sink.spans().length, 5);
  });

  it('delivers the same bytes when compressing with gzip', async () => {
    const { sink, exporter } = await setup({ compression: 'gzip' });
    const sent = batch(5);
    assert.equal((await exporter.send(sent)).status, 'success');
    assert.deepEqual(sink.requests[0].bytes, sent.bytes);
  });

  const classification: Array<[grpc.status, 'retryable' | 'failure']> = [
    [grpc.status.UNAVAILABLE, 'retryable'],
    [grpc.status.DEADLINE_EXCEEDED, 'retryable'],
    [grpc.status.ABORTED, 'retryable'],
    [grpc.status.OUT_OF_RANGE, 'retryable'],
    [grpc.status.DATA_LOSS, 'retryable'],
    [grpc.status.CANCELLED, 'retryable'],
    [grpc.status.RESOURCE_EXHAUSTED, 'failure'],
    [grpc.status.INVALID_ARGUMENT, 'failure'],
    [grpc.status.UNAUTHENTICATED, 'failure'],
    [grpc.status.PERMISSION_DENIED, 'failure'],
    [grpc.status.INTERNAL, 'failure'],
    [grpc.status.UNIMPLEMENTED, 'failure'],
  ];
  it('classifies error answers as the OTLP spec says clients should', async () => {
    const { sink, exporter } = await setup();
    for (const [code] of classification) sink.failNext(1, { code });

    const outcomes = [];
    for (const [code] of classification) outcomes.push([code, (await exporter.send(batch())).status]);

    assert.deepEqual(outcomes, classification);
    assert.equal(sink.requests.length, 0);
  });

  it('retries RESOURCE_EXHAUSTED only when the server promised recovery with a RetryInfo, and honours its delay', async () => {
    const { sink, exporter } = await setup();
    sink.failNext(1, { code: grpc.status.RESOURCE_EXHAUSTED, retryAfterMs: 1_250 });
    sink.failNext(1, { code: grpc.status.UNAVAILABLE, retryAfterMs: 40 });

    const first = await exporter.send(batch());
    const second = await exporter.send(batch());

    assert.deepEqual(first, { status: 'retryable', reason: 'RESOURCE_EXHAUSTED: sink told to fail with RESOURCE_EXHAUSTED', retryAfterMs: 1_250 });
    assert.equal(second.status === 'retryable' && second.retryAfterMs, 40);
  });

  it('reports a downstream that is down as retryable', async () => {
    const { sink, exporter } = await setup();
    await sink.stop();

    const result = await exporter.send(batch());

    assert.equal(result.status, 'retryable');
    assert.match(result.status === 'retryable' ? result.reason : '', /UNAVAILABLE/);
  });

  it('gives up on a call after timeoutMs, retryably', async () => {
    const { sink, exporter } = await setup({ timeoutMs: 100 });
    sink.hold();

    const result = await exporter.send(batch());

    assert.equal(result.status, 'retryable');
    assert.match(result.status === 'retryable' ? result.reason : '', /DEADLINE_EXCEEDED/);
    sink.release();
  });

  it('cancels the call when the signal aborts', async () => {
    const { sink, exporter } = await setup();
    sink.hold();
    const abort = new AbortController();

    const pending = exporter.send(batch(), abort.signal);
    await sink.waitForCalls(1);
    abort.abort();

    const result = await pending;
    assert.match(result.status === 'retryable' ? result.reason : '', /CANCELLED/);
    sink.release();
  });

  it('is retryable before start, and shuts down safely before start and twice', async () => {
    const exporter = new OtlpGrpcExporter({ endpoint: 'http://127.0.0.1:1', logger: silentLogger() });
    assert.equal((await exporter.send(batch())).status, 'retryable');
    await exporter.shutdown();
    await exporter.shutdown();
  });

  it('rejects a bad endpoint or timeout at construction', () => {
    assert.throws(() => new OtlpGrpcExporter({ endpoint: 'jaeger:4317', logger: silentLogger() }), /http:\/\/host:port/);
    assert.throws(() => new OtlpGrpcExporter({ endpoint: 'http://jaeger:4317', logger: silentLogger(), timeoutMs: 0 }), /timeoutMs/);
  });
});
