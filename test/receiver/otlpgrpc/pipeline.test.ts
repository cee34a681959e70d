/**
 * The receiver in front of the sending queue and the OTLP/gRPC exporter, with
 * the OpenTelemetry SDK as the client and a gRPC sink standing in for Jaeger.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { OtlpGrpcExporter } from '../../../src/exporter/otlpgrpc/index';
import { QueuedExporter } from '../../../src/exporter/queue/index';
import { OtlpGrpcReceiver, STATUS_DETAILS_KEY, decodeRetryDelayMs } from '../../../src/receiver/otlpgrpc/index';
import { silentLogger } from '../../../src/telemetry/logger';
import { GrpcSink } from '../../helpers/grpcSink';
import { createOtelClient } from '../../helpers/otelClient';
import { encodeRequest, makeRequest } from '../../helpers/otlpFixtures';
import { rawClient } from '../../helpers/rawGrpcClient';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts sink, exporter+queue, then receiver (downstream first); stops in reverse. */
async function pipeline(queueOptions: { maxQueueBytes?: number; concurrency?: number; fullRetryAfterMs?: number } = {}) {
  const sink = await GrpcSink.start();
  cleanups.push(() => sink.close());
  const queue = new QueuedExporter({
    sender: new OtlpGrpcExporter({ endpoint: sink.endpoint, logger: silentLogger() }),
    logger: silentLogger(),
    ...queueOptions,
  });
  await queue.start();
  cleanups.push(() => queue.shutdown({ graceMs: 0 }));
  const receiver = new OtlpGrpcReceiver({ address: '127.0.0.1:0', next: queue, logger: silentLogger() });
  await receiver.start();
  cleanups.push(() => receiver.shutdown({ graceMs: 0 }));
  return { sink, queue, receiver };
}

describe('receiver -> sending queue -> OTLP/gRPC exporter', () => {
  it('forwards what the OpenTelemetry SDK sent, byte for byte', async () => {
    const { sink, queue, receiver } = await pipeline();
    const otel = createOtelClient({ port: receiver.port, serviceName: 'agent-desktop' });
    cleanups.push(() => otel.shutdown());

    const parent = otel.tracer.startSpan('conversation', { attributes: { 'external.user.id': 'u-1', attempt: 2, ok: true } });
    parent.end();
    otel.tracer.startSpan('wrap-up').end();
    await otel.flush();
    const spans = await sink.waitForSpans(2);
    await queue.whenIdle();

    assert.deepEqual(spans.map((s) => s.name).sort(), ['conversation', 'wrap-up']);
    const conversation = spans.find((s) => s.name === 'conversation');
    assert.deepEqual(conversation?.attributes, { 'external.user.id': 'u-1', attempt: 2, ok: true });
    assert.equal(conversation?.resource['service.name'], 'agent-desktop');
    assert.equal(conversation?.spanId, parent.spanContext().spanId);
  });

  it('answers UNAVAILABLE with a RetryInfo while the queue is full, and accepts again once it has room', async () => {
    const request = encodeRequest(makeRequest({ spans: 4 }));
    const { sink, queue, receiver } = await pipeline({ maxQueueBytes: Math.floor(request.length * 1.5), concurrency: 1, fullRetryAfterMs: 2_000 });
    sink.hold(); // Jaeger is slow: the first request stays in the queue
    const raw = rawClient(receiver.port);
    cleanups.push(() => raw.close());

    assert.equal((await raw.export(request)).code, grpc.status.OK);
    const refused = await raw.export(request);

    assert.equal(refused.code, grpc.status.UNAVAILABLE);
    assert.match(refused.details, /sending queue is full/);
    assert.equal(decodeRetryDelayMs(refused.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer), 2_000);
    assert.equal(queue.stats().refusedBatches, 1);

    sink.release();
    await queue.whenIdle();
    assert.equal((await raw.export(request)).code, grpc.status.OK);
    await queue.whenIdle();
    assert.equal(sink.requests.length, 2, 'the refused request was not kept: the client resends it');
  });
});
