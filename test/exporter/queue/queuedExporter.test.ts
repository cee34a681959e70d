import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueuedExporter, type QueuedExporterOptions } from '../../../src/exporter/queue/index';
import { PipelineError } from '../../../src/errors';
import { silentLogger } from '../../../src/telemetry/logger';
import { ScriptedSender, batchOf, recordingLogger } from './fakes';

/** Millisecond-scale retry so tests run fast; jitter pinned to half the ceiling. */
const FAST_RETRY = { initialIntervalMs: 5, maxIntervalMs: 20, maxElapsedMs: 5_000 };

async function started(sender: ScriptedSender, options: Partial<QueuedExporterOptions> = {}): Promise<QueuedExporter> {
  const queue = new QueuedExporter({ sender, logger: silentLogger(), retry: FAST_RETRY, random: () => 0.5, ...options });
  await queue.start();
  return queue;
}

describe('QueuedExporter accepting batches', () => {
  it('resolves as soon as the batch is queued, then sends it in the background', async () => {
    const sender = new ScriptedSender(['hold']);
    const queue = await started(sender);

    await queue.consumeTraces(batchOf(3, 100));
    assert.equal(queue.stats().queuedBatches, 1, 'accepted while the send is still pending');
    sender.release();
    await queue.whenIdle();

    assert.deepEqual(
      { ...queue.stats() },
      {
        queuedBatches: 0, queuedSpans: 0, queuedBytes: 0, inFlightBatches: 0,
        sentBatches: 1, sentSpans: 3, sentBytes: 100,
        failedAttempts: 0, retries: 0, droppedBatches: 0, droppedSpans: 0,
        refusedBatches: 0, refusedSpans: 0, rejectedSpans: 0,
        backpressuredBatches: 0, backpressureTimeouts: 0,
        heldBatches: 0, heldSpans: 0, heldBytes: 0, holdOverflows: 0,
      },
    );
    await queue.shutdown();
  });

  it('sends at most `concurrency` batches at once', async () => {
    const sender = new ScriptedSender(['hold', 'hold', 'hold', 'hold', 'hold']);
    const queue = await started(sender, { concurrency: 2 });

    for (let i = 0; i < 5; i++) await queue.consumeTraces(batchOf(1));
    assert.equal(sender.attempts.length, 2);
    assert.equal(queue.stats().inFlightBatches, 2);

    while (queue.stats().sentBatches < 5) {
      sender.release();
      await new Promise(setImmediate);
    }
    assert.equal(sender.attempts.length, 5);
    await queue.shutdown();
  });

  it('refuses with a retryable resource_exhausted carrying a delay once the span bound is reached', async () => {
    const sender = new ScriptedSender(['hold']);
    const queue = await started(sender, { maxQueueSpans: 10, fullRetryAfterMs: 750 });

    await queue.consumeTraces(batchOf(6));
    const refusal = await queue.consumeTraces(batchOf(5)).then(() => undefined, (err: unknown) => err);

    assert.ok(refusal instanceof PipelineError);
    assert.deepEqual([refusal.code, refusal.retryable, refusal.retryAfterMs], ['resource_exhausted', true, 750]);
    assert.match(refusal.message, /6\/10 spans/);
    assert.deepEqual([queue.stats().refusedBatches, queue.stats().refusedSpans], [1, 5]);
    await queue.consumeTraces(batchOf(4)); // what still fits is taken

    sender.release();
    await queue.whenIdle();
    await queue.consumeTraces(batchOf(5)); // room again once sent
    await queue.shutdown();
  });

  it('refuses once the byte bound is reached, counting batches being sent', async () => {
    const sender = new ScriptedSender(['hold']);
    const queue = await started(sender, { maxQueueBytes: 1000 });

    await queue.consumeTraces(batchOf(1, 600));
    await assert.rejects(queue.consumeTraces(batchOf(1, 600)), { code: 'resource_exhausted' });
    sender.release();
    await queue.shutdown();
  });

  it('refuses a batch that alone exceeds the bounds as invalid_argument, since it could never fit', async () => {
    const queue = await started(new ScriptedSender(), { maxQueueSpans: 10 });
    await assert.rejects(queue.consumeTraces(batchOf(11)), { code: 'invalid_argument', retryable: false });
    await queue.shutdown();
  });

  it('refuses before start (retryable) and once shutdown began (shutting_down)', async () => {
    const queue = new QueuedExporter({ sender: new ScriptedSender(), logger: silentLogger() });
    await assert.rejects(queue.consumeTraces(batchOf(1)), { code: 'unavailable', retryable: true });
    await queue.start();
    const stopping = queue.shutdown();
    await assert.rejects(queue.consumeTraces(batchOf(1)), { code: 'shutting_down', retryable: true });
    await stopping;
  });
});

describe('QueuedExporter retrying', () => {
  it('retries retryable failures with backoff until the batch goes through', async () => {
    const retryable = { status: 'retryable', reason: 'UNAVAILABLE' } as const;
    const sender = new ScriptedSender([retryable, retryable, retryable]);
    const queue = await started(sender);

    await queue.consumeTraces(batchOf(2));
    await queue.whenIdle();

    const stats = queue.stats();
    assert.deepEqual([sender.attempts.length, stats.failedAttempts, stats.retries, stats.sentBatches, stats.droppedBatches], [4, 3, 3, 1, 0]);
    await queue.shutdown();
  });

  it('waits at least the delay the downstream asked for (RetryInfo)', async () => {
    const sender = new ScriptedSender([{ status: 'retryable', reason: 'RESOURCE_EXHAUSTED', retryAfterMs: 150 }]);
    const queue = await started(sender);

    await queue.consumeTraces(batchOf(1));
    await queue.whenIdle();

    assert.ok(sender.attempts[1].at - sender.attempts[0].at >= 145, 'second attempt no sooner than asked');
    await queue.shutdown();
  });

  it('drops a permanent failure at once: counted, and logged once for the whole batch', async () => {
    const { logger, records } = recordingLogger();
    const sender = new ScriptedSender([{ status: 'failure', reason: 'INVALID_ARGUMENT: bad span' }]);
    const queue = await started(sender, { logger });

    await queue.consumeTraces(batchOf(50));
    await queue.whenIdle();

    assert.equal(sender.attempts.length, 1, 'not retried');
    assert.deepEqual([queue.stats().droppedBatches, queue.stats().droppedSpans, queue.stats().retries], [1, 50, 0]);
    const drops = records.filter((r) => r.msg === 'dropped a batch');
    assert.equal(drops.length, 1);
    assert.equal(drops[0].spans, 50);
    assert.match(String(drops[0].reason), /permanent failure: INVALID_ARGUMENT/);
    await queue.shutdown();
  });

  it('drops a batch once its retry budget is spent', async () => {
    const retryable = { status: 'retryable', reason: 'UNAVAILABLE' } as const;
    const sender = new ScriptedSender(Array.from({ length: 100 }, () => retryable));
    const queue = await started(sender, { retry: { initialIntervalMs: 10, maxIntervalMs: 10, maxElapsedMs: 60 } });

    await queue.consumeTraces(batchOf(4));
    await queue.whenIdle();

    const stats = queue.stats();
    assert.ok(stats.retries >= 1 && stats.retries < 100);
    assert.deepEqual([stats.droppedBatches, stats.droppedSpans, stats.sentBatches], [1, 4, 0]);
    await queue.shutdown();
  });

  it('treats a sender that throws as a permanent failure, not a crash', async () => {
    const queue = await started(new ScriptedSender(['throw']));
    await queue.consumeTraces(batchOf(1));
    await queue.whenIdle();
    assert.equal(queue.stats().droppedBatches, 1);
    await queue.shutdown();
  });

  it('counts spans the downstream refused within an accepted batch (partial success)', async () => {
    const queue = await started(new ScriptedSender([{ status: 'success', rejectedSpans: 2, message: 'too old' }]));
    await queue.consumeTraces(batchOf(5));
    await queue.whenIdle();
    assert.deepEqual([queue.stats().sentBatches, queue.stats().rejectedSpans], [1, 2]);
    await queue.shutdown();
  });
});

describe('QueuedExporter shutdown', () => {
  it('drains what is queued before shutting the sender down', async () => {
    const sender = new ScriptedSender(['hold', 'hold', 'hold']);
    const queue = await started(sender, { concurrency: 1 });
    for (let i = 0; i < 3; i++) await queue.consumeTraces(batchOf(2));

    const stopping = queue.drainAndStop({ graceMs: 5_000 });
    for (let n = 1; n <= 3; n++) {
      await sender.waitForAttempts(n);
      assert.equal(sender.shutdowns, 0, 'sender still up while draining');
      sender.release();
    }

    assert.deepEqual(await stopping, { drained: true, leftBatches: 0, leftSpans: 0 });
    assert.equal(queue.stats().sentBatches, 3);
    assert.equal(sender.shutdowns, 1);
  });

  it('gives up after the grace period: cancels the send in flight, drops and reports the rest', async () => {
    const { logger, records } = recordingLogger();
    const sender = new ScriptedSender(['hold', 'hold', 'hold']);
    const queue = await started(sender, { concurrency: 1, logger });
    for (let i = 0; i < 3; i++) await queue.consumeTraces(batchOf(2, 10));

    const report = await queue.drainAndStop({ graceMs: 30 });

    assert.deepEqual(report, { drained: false, leftBatches: 3, leftSpans: 6 });
    assert.equal(sender.attempts[0].signal?.aborted, true, 'the sender was told to stop');
    const stats = queue.stats();
    assert.deepEqual([stats.droppedBatches, stats.queuedBatches, stats.queuedBytes], [3, 0, 0]);
    assert.equal(sender.shutdowns, 1);
    assert.equal(records.filter((r) => /grace period ran out/.test(String(r.msg))).length, 1, 'one summary line');
  });

  it('is safe before start and twice, and will not start again', async () => {
    const sender = new ScriptedSender();
    const queue = new QueuedExporter({ sender, logger: silentLogger() });
    await queue.shutdown();
    await queue.shutdown();
    await assert.rejects(queue.start(), /already shut down/);
    assert.equal(sender.started, 0);
  });
});

describe('QueuedExporter options', () => {
  it('rejects bad options at construction, naming every problem', () => {
    assert.throws(
      () => new QueuedExporter({ sender: new ScriptedSender(), logger: silentLogger(), concurrency: 0, maxQueueBytes: 1.5, retry: { multiplier: 0.5 } }),
      (err: Error) => ['concurrency', 'maxQueueBytes', 'retry.multiplier'].every((k) => err.message.includes(k)),
    );
  });
});

describe('QueuedExporter and pooled batches (TraceBatch.release)', () => {
  const releasable = (spans: number) => {
    const released = { count: 0 };
    return { batch: { ...batchOf(spans), release: () => void released.count++ }, released };
  };

  it('releases a batch once it is sent, not while the send is in progress', async () => {
    const sender = new ScriptedSender(['hold']);
    const queue = await started(sender);
    const { batch, released } = releasable(3);
    await queue.consumeTraces(batch);
    await new Promise(setImmediate);
    assert.equal(released.count, 0, 'still on the wire');
    sender.release();
    await queue.whenIdle();
    assert.equal(released.count, 1);
    await queue.shutdown();
  });

  it('releases a batch once, when it is dropped after a permanent failure, and keeps it through retries', async () => {
    const sender = new ScriptedSender([{ status: 'retryable', reason: 'busy' }, { status: 'failure', reason: 'bad data' }]);
    const queue = await started(sender);
    const { batch, released } = releasable(2);
    await queue.consumeTraces(batch);
    await queue.whenIdle();
    assert.equal(sender.attempts.length, 2);
    assert.equal(released.count, 1);
    await queue.shutdown();
  });

  it('does not release a batch it refused (the caller still owns it)', async () => {
    const queue = await started(new ScriptedSender(), { maxQueueSpans: 1 });
    const { batch, released } = releasable(5);
    await assert.rejects(queue.consumeTraces(batch));
    assert.equal(released.count, 0);
    await queue.shutdown();
  });
});


/** Tracks whether `p` has settled, without waiting for it. */
function watch(p: Promise<unknown>): { readonly settled: boolean } {
  const state = { settled: false };
  void p.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('QueuedExporter backpressure (backpressureMs)', () => {
  it('answers a batch that has to wait only once an export call takes it, while the backend keeps up', async () => {
    const sender = new ScriptedSender(['hold', 'hold']);
    const queue = await started(sender, { concurrency: 1, backpressureMs: 60_000 });

    await queue.consumeTraces(batchOf(1)); // taken at once: answered at once
    const second = watch(queue.consumeTraces(batchOf(2)));
    await turn();
    assert.equal(second.settled, false, 'held while the first batch is being sent');
    assert.equal(queue.stats().queuedBatches, 2, 'queued all the same');

    sender.release(); // the first is sent; a sender takes the second
    await sender.waitForAttempts(2);
    await turn();
    assert.equal(second.settled, true);
    assert.deepEqual([queue.stats().backpressuredBatches, queue.stats().backpressureTimeouts], [1, 0]);
    sender.release();
    await queue.shutdown();
  });

  it('answers the held senders together once every waiting batch has been taken (drain)', async () => {
    const sender = new ScriptedSender(['hold', 'hold', 'hold', 'hold']);
    const queue = await started(sender, { concurrency: 1, backpressureMs: 60_000 });
    await queue.consumeTraces(batchOf(1));
    const answered: number[] = [];
    const pending = [2, 3, 4].map((n) => queue.consumeTraces(batchOf(n)).then(() => answered.push(n)));

    for (let sent = 1; sent <= 2; sent++) {
      sender.release();
      await sender.waitForAttempts(sent + 1);
      await turn();
      assert.deepEqual(answered, [], `batches still waiting after ${sent} sent`);
    }
    sender.release(); // batch 4, the last one waiting, is taken: the queue has drained
    await sender.waitForAttempts(4);
    await turn();
    assert.deepEqual(answered, [2, 3, 4]);
    sender.release();
    await Promise.all(pending);
    await queue.shutdown();
  });

  it('stops holding once a send attempt fails, so an outage is buffered and not pushed back on senders', async () => {
    const sender = new ScriptedSender(['hold', 'hold']);
    const queue = await started(sender, { concurrency: 1, backpressureMs: 60_000 });
    await queue.consumeTraces(batchOf(1));
    const held = watch(queue.consumeTraces(batchOf(2)));
    await turn();
    assert.equal(held.settled, false);

    sender.release({ status: 'retryable', reason: 'backend down' });
    await turn();
    assert.equal(held.settled, true, 'answered when the attempt failed, before any retry');
    await queue.consumeTraces(batchOf(3)); // while failing: answered once queued
    assert.equal(queue.stats().queuedBatches, 3);

    await sender.waitForAttempts(2); // the first batch's retry (held)
    sender.release();
    await queue.whenIdle();
    assert.equal(queue.stats().sentBatches, 3, 'everything buffered is delivered');
    await queue.shutdown();
  });

  it('holds again once a send succeeds after a failure', async () => {
    const sender = new ScriptedSender([{ status: 'retryable', reason: 'blip' }, 'hold', 'hold']);
    const queue = await started(sender, { concurrency: 1, backpressureMs: 60_000 });
    await queue.consumeTraces(batchOf(1)); // fails, then its retry holds (and succeeds on release)
    await sender.waitForAttempts(2);
    sender.release();
    await queue.whenIdle();

    await queue.consumeTraces(batchOf(2)); // taken at once
    const third = watch(queue.consumeTraces(batchOf(3)));
    await turn();
    assert.equal(third.settled, false, 'held again: the backend keeps up');
    sender.release();
    await sender.waitForAttempts(4);
    await turn();
    assert.equal(third.settled, true);
    await queue.shutdown();
  });

  it('stops waiting after backpressureMs when the backend stalls without failing, and still delivers', async () => {
    const sender = new ScriptedSender(['hold']);
    const queue = await started(sender, { concurrency: 1, backpressureMs: 30 });
    await queue.consumeTraces(batchOf(1));
    const startedAt = Date.now();
    await queue.consumeTraces(batchOf(2));
    const waited = Date.now() - startedAt;

    assert.ok(waited >= 25, `waited ${waited} ms`);
    assert.deepEqual([queue.stats().backpressuredBatches, queue.stats().backpressureTimeouts], [1, 1]);
    sender.release();
    await queue.whenIdle();
    assert.equal(queue.stats().sentBatches, 2);
    await queue.shutdown();
  });

  it('answers held senders when shutdown begins; their batches are drained like the rest', async () => {
    const sender = new ScriptedSender(['hold']);
    const queue = await started(sender, { concurrency: 1, backpressureMs: 60_000 });
    await queue.consumeTraces(batchOf(1));
    const held = watch(queue.consumeTraces(batchOf(2)));
    await turn();

    const stopping = queue.drainAndStop({ graceMs: 5_000 });
    await turn();
    assert.equal(held.settled, true);
    sender.release();
    assert.deepEqual(await stopping, { drained: true, leftBatches: 0, leftSpans: 0 });
    assert.equal(queue.stats().sentBatches, 2);
  });

  it('never holds with backpressureMs 0 (the default)', async () => {
    const sender = new ScriptedSender(['hold']);
    const queue = await started(sender, { concurrency: 1 });
    await queue.consumeTraces(batchOf(1));
    await queue.consumeTraces(batchOf(2));
    assert.equal(queue.stats().backpressuredBatches, 0);
    sender.release();
    await queue.shutdown();
  });

  it('rejects a negative backpressureMs, naming it', () => {
    assert.throws(() => new QueuedExporter({ sender: new ScriptedSender(), logger: silentLogger(), backpressureMs: -1 }), /backpressureMs must be >= 0, got -1/);
  });
});
