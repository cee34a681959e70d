import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { QueuedExporter } from '../../src/exporter/queue/queuedExporter';
import { silentLogger } from '../../src/telemetry/logger';
import { batchOf, ScriptedSender } from '../exporter/queue/fakes';

/** A queue whose self-telemetry spans land in memory (no global SDK involved). */
async function tracedQueue(script: ConstructorParameters<typeof ScriptedSender>[0]) {
  const spans = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const sender = new ScriptedSender(script);
  const queue = new QueuedExporter({
    sender,
    logger: silentLogger(),
    retry: { initialIntervalMs: 1, maxIntervalMs: 5, maxElapsedMs: 10_000 },
    tracer: provider.getTracer('test'),
  });
  await queue.start();
  return { queue, spans };
}

describe('self-telemetry of the sending queue', () => {
  it('makes no span for a batch sent at the first attempt', async () => {
    const { queue, spans } = await tracedQueue([]);
    await queue.consumeTraces(batchOf(3));
    await queue.drainAndStop();
    assert.equal(spans.getFinishedSpans().length, 0);
  });

  it('makes one "export retry" span for a batch that needed retries, back-dated to its first attempt', async () => {
    const before = Date.now();
    const { queue, spans } = await tracedQueue([
      { status: 'retryable', reason: 'UNAVAILABLE: jaeger restarting' },
      { status: 'retryable', reason: 'UNAVAILABLE: jaeger restarting', retryAfterMs: 2 },
    ]);
    await queue.consumeTraces(batchOf(7));
    await queue.drainAndStop();
    const [span, ...rest] = spans.getFinishedSpans();
    assert.equal(rest.length, 0);
    assert.equal(span!.name, 'export retry');
    assert.deepEqual(span!.attributes, { 'enricher.export.spans': 7, 'enricher.export.attempts': 3, 'enricher.export.outcome': 'sent' });
    assert.deepEqual(span!.events.map((e) => [e.name, e.attributes?.['enricher.export.attempt']]), [['attempt failed', 1], ['attempt failed', 2]]);
    assert.ok(Number(span!.events[1]!.attributes?.['enricher.export.retry_in_ms']) >= 2, 'the server-requested delay is recorded');
    assert.notEqual(span!.status.code, SpanStatusCode.ERROR);
    assert.ok(span!.startTime[0] * 1000 + span!.startTime[1] / 1e6 >= before - 1);
  });

  it('marks a dropped batch as an error with the reason', async () => {
    const { queue, spans } = await tracedQueue([{ status: 'failure', reason: 'INVALID_ARGUMENT: bad span' }]);
    await queue.consumeTraces(batchOf(2));
    await queue.drainAndStop();
    const [span] = spans.getFinishedSpans();
    assert.equal(span!.attributes['enricher.export.outcome'], 'dropped');
    assert.equal(span!.attributes['enricher.export.attempts'], 1);
    assert.equal(span!.status.code, SpanStatusCode.ERROR);
    assert.match(span!.status.message ?? '', /permanent failure: INVALID_ARGUMENT/);
  });
});
