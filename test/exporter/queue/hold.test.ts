/**
 * The sending queue holding batches for Genesys look-ups (TraceBatch.pending):
 * stored and answered at once, counted in the bounds, sent finished once their
 * look-ups settle; the oldest go on early when the hold is full; at shutdown
 * they are finished (memory) or left on disk for the next start.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiskQueueStore, QueuedExporter, type QueuedExporterOptions } from '../../../src/exporter/queue/index';
import { silentLogger } from '../../../src/telemetry/logger';
import { ScriptedPending, ScriptedSender } from './fakes';
import { cleanupAfterEach, recordsOnDisk } from './persistent/support';

const FAST_RETRY = { initialIntervalMs: 5, maxIntervalMs: 20, maxElapsedMs: 5_000 };
const { defer, freshDir } = cleanupAfterEach();

async function started(sender: ScriptedSender, options: Partial<QueuedExporterOptions> = {}): Promise<QueuedExporter> {
  const queue = new QueuedExporter({ sender, logger: silentLogger(), retry: FAST_RETRY, random: () => 0.5, ...options });
  await queue.start();
  defer(() => queue.shutdown({ graceMs: 0 }));
  return queue;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('QueuedExporter holding batches for look-ups', () => {
  it('answers at once, counts a held batch in the bounds, and sends its finished form when its look-ups settle', async () => {
    const sender = new ScriptedSender();
    const queue = await started(sender);
    const held = new ScriptedPending(4, 100);

    await queue.consumeTraces(held.batch);

    assert.equal(sender.attempts.length, 0, 'not sent while held');
    const s = queue.stats();
    assert.deepEqual([s.heldBatches, s.heldSpans, s.heldBytes, s.queuedSpans, s.queuedBatches], [1, 4, 100, 4, 1]);
    held.settle();
    await sender.waitForAttempts(1);
    assert.deepEqual(held.finished, ['settled']);
    assert.equal(sender.attempts[0]!.batch.bytes.length, 101, 'the finished bytes are sent, not the held ones');
    await queue.whenIdle();
    assert.deepEqual([queue.stats().heldBatches, queue.stats().queuedSpans, queue.stats().sentSpans], [0, 0, 4]);
  });

  it('releases the oldest held batches, finished with what is known, when the hold would go past its bounds', async () => {
    const sender = new ScriptedSender();
    const queue = await started(sender, { maxHeldSpans: 10 });
    const [a, b, c] = [new ScriptedPending(4, 10, 1), new ScriptedPending(4, 10, 2), new ScriptedPending(4, 10, 3)];

    for (const p of [a, b, c]) await queue.consumeTraces(p.batch); // 12 spans > 10: the oldest goes

    await sender.waitForAttempts(1);
    assert.deepEqual([a.finished, b.finished, c.finished], [['overflow'], [], []]);
    assert.equal(sender.attempts[0]!.batch.bytes[0], 1, 'the oldest, a');
    assert.deepEqual([queue.stats().heldBatches, queue.stats().holdOverflows], [2, 1]);
  });

  it('gives held batches half the grace period at shutdown, then finishes the rest (in memory) and sends them', async () => {
    const sender = new ScriptedSender();
    const queue = await started(sender);
    const [settles, never] = [new ScriptedPending(1, 10, 1), new ScriptedPending(1, 10, 2)];
    await queue.consumeTraces(settles.batch);
    await queue.consumeTraces(never.batch);

    const stopping = queue.drainAndStop({ graceMs: 400 });
    await tick();
    settles.settle();
    const report = await stopping;

    assert.deepEqual([settles.finished, never.finished], [['settled'], ['shutdown']]);
    assert.equal(report.drained, true);
    assert.equal(sender.attempts.length, 2, 'both sent within the grace period');
  });

  it('with a persistent store, keeps a held batch on disk before answering, leaves it there unfinished at shutdown, and resumes it at the next start', async () => {
    const dir = await freshDir();
    const store = () => new DiskQueueStore({ dir, logger: silentLogger() });
    const first = await started(new ScriptedSender(), { store: store() });
    const held = new ScriptedPending(3, 20, 7);

    await first.consumeTraces(held.batch);
    assert.deepEqual((await recordsOnDisk(dir)).map((r) => [r.spanCount, r.unfinished]), [[3, true]], 'on disk, flagged unfinished');
    const report = await first.drainAndStop({ graceMs: 20 });
    assert.deepEqual([report.leftBatches, report.leftSpans, held.abandoned, held.finished], [1, 3, true, []]);

    const resumed: Buffer[] = [];
    const sender = new ScriptedSender();
    await started(sender, {
      store: store(),
      resumeHeld: (bytes) => {
        resumed.push(bytes);
        return { bytes: Buffer.from('enriched'), spanCount: 3 };
      },
    });
    await sender.waitForAttempts(1);
    assert.deepEqual(resumed.map((b) => b.length), [20], 'the held request, as received');
    assert.equal(sender.attempts[0]!.batch.bytes.toString(), 'enriched');
  });
});
