/**
 * The sending queue in front of the OTLP/gRPC exporter, against a real gRPC
 * server standing in for Jaeger: what arrives, what is retried, what is dropped.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { OtlpGrpcExporter } from '../../src/exporter/otlpgrpc/index';
import { type BatchSender, QueuedExporter, type SendResult } from '../../src/exporter/queue/index';
import type { TraceBatch } from '../../src/pipeline/consumer';
import { silentLogger } from '../../src/telemetry/logger';
import { GrpcSink } from '../helpers/grpcSink';
import { encodeRequest, makeRequest } from '../helpers/otlpFixtures';

/** Passes sends through, remembering each outcome; emits 'result'. */
class ObservedSender extends EventEmitter implements BatchSender {
  readonly results: SendResult[] = [];
  constructor(private readonly inner: BatchSender) {
    super();
  }
  start(): Promise<void> {
    return this.inner.start();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  async send(batch: TraceBatch, signal?: AbortSignal): Promise<SendResult> {
    const result = await this.inner.send(batch, signal);
    this.results.push(result);
    this.emit('result');
    return result;
  }
  async waitFor(predicate: (results: SendResult[]) => boolean): Promise<void> {
    while (!predicate(this.results)) await EventEmitter.once(this, 'result');
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function pipeline(options: { concurrency?: number } = {}) {
  const sink = await GrpcSink.start();
  cleanups.push(() => sink.close());
  const exporter = new OtlpGrpcExporter({
    endpoint: sink.endpoint,
    logger: silentLogger(),
    timeoutMs: 2_000,
    // Reconnect quickly once the sink is back, so the test need not wait out grpc-js's 1 s+ backoff.
    channelOptions: { 'grpc.initial_reconnect_backoff_ms': 50, 'grpc.max_reconnect_backoff_ms': 200 },
  });
  const sender = new ObservedSender(exporter);
  const queue = new QueuedExporter({
    sender,
    logger: silentLogger(),
    concurrency: options.concurrency ?? 4,
    retry: { initialIntervalMs: 20, maxIntervalMs: 200, maxElapsedMs: 20_000 },
  });
  await queue.start();
  cleanups.push(() => queue.shutdown({ graceMs: 0 }));
  return { sink, sender, queue };
}

/** A distinct batch of `spans` spans per seed. */
const batch = (seed: number, spans = 5): TraceBatch => ({ bytes: encodeRequest(makeRequest({ spans, seed })), spanCount: spans });

describe('QueuedExporter + OtlpGrpcExporter', () => {
  it('delivers every batch, once and unchanged, across a downstream outage', async () => {
    const { sink, sender, queue } = await pipeline();
    const batches = Array.from({ length: 21 }, (_, i) => batch(i + 1));
    await queue.consumeTraces(batches[0]);
    await queue.whenIdle(); // the answer is back too: stopping earlier could cut it off and cause a resend

    await sink.stop();
    for (const b of batches.slice(1)) await queue.consumeTraces(b);
    await sender.waitFor((results) => results.filter((r) => r.status === 'retryable').length >= 8);
    await delay(1_000); // the outage lasts a while longer
    await sink.restart();

    await sink.waitForSpans(105, 8_000);
    await queue.whenIdle();
    const stats = queue.stats();
    assert.deepEqual([stats.sentBatches, stats.sentSpans, stats.droppedBatches], [21, 105, 0]);
    assert.ok(stats.retries >= 8);
    assert.equal(stats.retries, stats.failedAttempts);
    assert.equal(sink.requests.length, 21);
    const received = new Set(sink.requests.map((r) => r.bytes.toString('base64')));
    assert.deepEqual(received, new Set(batches.map((b) => b.bytes.toString('base64'))));
    assert.equal(new Set(sink.spans().map((s) => s.spanId)).size, 105);
  });

  it('drops a batch the downstream calls invalid, without retrying it, and goes on', async () => {
    const { sink, queue } = await pipeline();
    sink.failNext(1, { code: grpc.status.INVALID_ARGUMENT, details: 'bad trace id' });

    await queue.consumeTraces(batch(1, 7));
    await queue.whenIdle();
    assert.deepEqual([sink.calls, queue.stats().droppedBatches, queue.stats().droppedSpans, queue.stats().retries], [1, 1, 7, 0]);

    await queue.consumeTraces(batch(2, 3));
    await queue.whenIdle();
    assert.equal(sink.spans().length, 3);
  });

  it('backs off as long as a throttling downstream asks (RESOURCE_EXHAUSTED with RetryInfo)', async () => {
    const { sink, sender, queue } = await pipeline();
    sink.failNext(1, { code: grpc.status.RESOURCE_EXHAUSTED, retryAfterMs: 300 });

    const started = Date.now();
    await queue.consumeTraces(batch(1));
    await queue.whenIdle();

    assert.ok(Date.now() - started >= 295, 'waited the requested delay');
    assert.deepEqual(sender.results.map((r) => r.status), ['retryable', 'success']);
    assert.equal(sink.spans().length, 5);
  });

  it('drains to the downstream on shutdown', async () => {
    const { sink, queue } = await pipeline();
    sink.hold();
    for (let i = 1; i <= 3; i++) await queue.consumeTraces(batch(i));

    const stopping = queue.drainAndStop({ graceMs: 5_000 });
    await sink.waitForCalls(3);
    sink.release();

    assert.deepEqual(await stopping, { drained: true, leftBatches: 0, leftSpans: 0 });
    assert.equal(sink.spans().length, 15);
  });
});
