/**
 * The sending queue with the disk store: the same queue, retry and bounds as in
 * memory, plus what survives a shutdown or a crash.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PipelineError } from '../../../../src/errors';
import { DiskQueueStore, MemoryQueueStore, QueuedExporter, type QueueStore, type QueuedExporterOptions, type SendResult } from '../../../../src/exporter/queue/index';
import type { TraceBatch } from '../../../../src/pipeline/consumer';
import { silentLogger } from '../../../../src/telemetry/logger';
import { ScriptedSender } from '../fakes';
import { cleanupAfterEach, nameOf, namedBatch, recordsOnDisk } from './support';

const FAST_RETRY = { initialIntervalMs: 5, maxIntervalMs: 20, maxElapsedMs: 60_000 };
const UNAVAILABLE: SendResult = { status: 'retryable', reason: 'UNAVAILABLE' };

const { defer, freshDir } = cleanupAfterEach();

async function persistentQueue(dir: string, sender: ScriptedSender, options: Partial<QueuedExporterOptions> = {}): Promise<QueuedExporter> {
  const queue = new QueuedExporter({
    sender,
    logger: silentLogger(),
    retry: FAST_RETRY,
    random: () => 0.5,
    store: new DiskQueueStore({ dir, logger: silentLogger() }),
    ...options,
  });
  await queue.start();
  defer(() => queue.shutdown({ graceMs: 0 }));
  return queue;
}

/** A sender that is down: every attempt fails with UNAVAILABLE. */
const downSender = () => new ScriptedSender(Array.from({ length: 100_000 }, () => UNAVAILABLE));
const sentNames = (sender: ScriptedSender) => sender.attempts.map((a) => nameOf(a.batch.bytes));

describe('QueuedExporter with a persistent store', () => {
  it('resolves consumeTraces only once the batch is on disk', async () => {
    const dir = await freshDir();
    const queue = await persistentQueue(dir, new ScriptedSender(['hold']));

    await queue.consumeTraces(namedBatch('a', 2));

    assert.deepEqual((await recordsOnDisk(dir)).map((r) => nameOf(r.payload)), ['a']);
    const { persistent } = queue.stats();
    assert.deepEqual([persistent?.persistedBatches, persistent?.persistedSpans], [1, 2]);
  });

  it('keeps what shutdown could not deliver on disk, not as dropped, and sends it after the next start, in order', async () => {
    const dir = await freshDir();
    const first = await persistentQueue(dir, downSender(), { concurrency: 2 });
    for (const name of ['a', 'b', 'c', 'd']) await first.consumeTraces(namedBatch(name, 3));

    const report = await first.drainAndStop({ graceMs: 50 });

    assert.deepEqual(report, { drained: false, leftBatches: 4, leftSpans: 12, leftOnDisk: true });
    assert.deepEqual([first.stats().droppedBatches, first.stats().queuedBatches], [0, 0]);

    const sender = new ScriptedSender();
    const second = await persistentQueue(dir, sender, { concurrency: 1 });
    await second.whenIdle();
    assert.deepEqual(sentNames(sender), ['a', 'b', 'c', 'd']);
    assert.deepEqual([second.stats().sentSpans, second.stats().persistent?.replayedBatches, second.stats().persistent?.replayedSpans], [12, 4, 12]);

    await second.drainAndStop();
    const third = await persistentQueue(dir, new ScriptedSender());
    assert.equal(third.stats().persistent?.replayedBatches, 0, 'delivered batches are not sent again');
  });

  it('forgets batches dropped for good (permanent failure), so a restart does not resend them', async () => {
    const dir = await freshDir();
    const first = await persistentQueue(dir, new ScriptedSender([{ status: 'failure', reason: 'INVALID_ARGUMENT' }]));
    await first.consumeTraces(namedBatch('bad'));
    await first.consumeTraces(namedBatch('good'));
    await first.whenIdle();
    assert.equal(first.stats().droppedBatches, 1);
    await first.drainAndStop();

    const second = await persistentQueue(dir, new ScriptedSender());
    assert.equal(second.stats().persistent?.replayedBatches, 0);
  });

  it('holds replayed batches against the bounds, refusing new ones (retryable) until they drain', async () => {
    const dir = await freshDir();
    const first = await persistentQueue(dir, downSender(), { maxQueueSpans: 100 });
    await first.consumeTraces(namedBatch('a', 60));
    await first.consumeTraces(namedBatch('b', 40));
    await first.drainAndStop({ graceMs: 0 });

    const sender = new ScriptedSender(['hold', 'hold']);
    const second = await persistentQueue(dir, sender, { maxQueueSpans: 50, concurrency: 2 });
    await assert.rejects(second.consumeTraces(namedBatch('c', 10)), { code: 'resource_exhausted', retryable: true });
    sender.release();
    await second.whenIdle();
    await second.consumeTraces(namedBatch('c', 10));
  });
});

describe('QueuedExporter with a store that fails to write', () => {
  /** A store whose appends fail until `heal()`. */
  class BrokenStore extends MemoryQueueStore implements QueueStore {
    broken = true;
    override append(batch: TraceBatch) {
      return this.broken ? Promise.reject(new Error('ENOSPC: no space left on device')) : super.append(batch);
    }
  }

  it('refuses the request with a retryable unavailable, holding nothing, and accepts again once writes work', async () => {
    const store = new BrokenStore();
    const queue = new QueuedExporter({ sender: new ScriptedSender(), logger: silentLogger(), store, fullRetryAfterMs: 250 });
    await queue.start();
    defer(() => queue.shutdown());

    const refusal = await queue.consumeTraces(namedBatch('a', 4)).then(() => undefined, (err: unknown) => err);
    assert.ok(refusal instanceof PipelineError);
    assert.deepEqual([refusal.code, refusal.retryable, refusal.retryAfterMs], ['unavailable', true, 250]);
    assert.match(refusal.message, /could not persist the batch: ENOSPC/);
    const stats = queue.stats();
    assert.deepEqual([stats.refusedBatches, stats.refusedSpans, stats.queuedSpans, stats.queuedBatches], [1, 4, 0, 0]);

    store.broken = false;
    await queue.consumeTraces(namedBatch('a', 4));
    await queue.whenIdle();
    assert.equal(queue.stats().sentBatches, 1);
  });

  it('waits for a slow write before shutting down, then sends it', async () => {
    let finishWrite!: () => void;
    const slow = new (class extends MemoryQueueStore {
      override append(batch: TraceBatch) {
        return new Promise<void>((resolve) => (finishWrite = resolve)).then(() => super.append(batch));
      }
    })();
    const sender = new ScriptedSender();
    const queue = new QueuedExporter({ sender, logger: silentLogger(), store: slow });
    await queue.start();

    const accepted = queue.consumeTraces(namedBatch('slow'));
    const stopping = queue.drainAndStop({ graceMs: 5_000 });
    finishWrite();
    await accepted;
    assert.deepEqual(await stopping, { drained: true, leftBatches: 0, leftSpans: 0 });
    assert.deepEqual(sentNames(sender), ['slow']);
  });
});
