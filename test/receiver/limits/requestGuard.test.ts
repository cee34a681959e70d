import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PipelineError } from '../../../src/errors';
import type { TraceBatch } from '../../../src/pipeline/consumer';
import { HandoffTap, RequestGuard } from '../../../src/receiver/limits/index';

/** A promise the test settles by hand. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const batch = (spanCount: number): TraceBatch => ({ bytes: Buffer.alloc(1), spanCount });

describe('RequestGuard', () => {
  // The deadline timer is unref'd (it must not hold up a stopping process); in a
  // server the listener keeps the event loop alive, here this interval does.
  let keepAlive: NodeJS.Timeout;
  before(() => {
    keepAlive = setInterval(() => undefined, 1_000);
  });
  after(() => clearInterval(keepAlive));

  it('runs the work and counts accepted requests and refusals by pipeline error code', async () => {
    const guard = new RequestGuard();
    await guard.run(async () => undefined);
    await assert.rejects(guard.run(() => Promise.reject(new PipelineError('invalid_argument', 'malformed'))), { code: 'invalid_argument' });
    await assert.rejects(guard.run(() => { throw new Error('bug'); }), { code: 'internal' });
    assert.deepEqual(guard.stats(), { inFlight: 0, accepted: 1, refused: { invalid_argument: 1, internal: 1 } });
  });

  it('refuses beyond maxConcurrentRequests with a retryable error carrying a retry delay', async () => {
    const guard = new RequestGuard({ maxConcurrentRequests: 2, retryAfterMs: 700 });
    const held = deferred();
    const first = guard.run(() => held.promise);
    const second = guard.run(() => held.promise);
    await assert.rejects(guard.run(async () => undefined), (err: PipelineError) => {
      assert.equal(err.code, 'resource_exhausted');
      assert.equal(err.retryable, true);
      assert.equal(err.retryAfterMs, 700);
      assert.match(err.message, /too many concurrent requests \(limit 2\)/);
      return true;
    });
    assert.equal(guard.stats().inFlight, 2);
    held.resolve();
    await Promise.all([first, second]);
    await guard.run(async () => undefined);
    assert.deepEqual(guard.stats().refused, { concurrency_limit: 1 });
  });

  it('asks its admissions first and counts their refusals under their reason', async () => {
    let full = true;
    const guard = new RequestGuard({
      admissions: [{ reason: 'memory_limit', refusal: () => (full ? new PipelineError('resource_exhausted', 'memory', 1000) : undefined) }],
    });
    let ran = false;
    await assert.rejects(guard.run(async () => void (ran = true)), { code: 'resource_exhausted', message: 'memory' });
    assert.equal(ran, false, 'refused before any work');
    full = false;
    await guard.run(async () => void (ran = true));
    assert.equal(ran, true);
    assert.deepEqual(guard.stats().refused, { memory_limit: 1 });
  });

  it('answers deadline_exceeded when the work outlives requestTimeoutMs, and keeps the slot until the work settles', async () => {
    const guard = new RequestGuard({ requestTimeoutMs: 20, maxConcurrentRequests: 1 });
    const stuck = deferred();
    await assert.rejects(guard.run(() => stuck.promise), (err: PipelineError) => err.code === 'deadline_exceeded' && err.retryable);
    assert.equal(guard.stats().inFlight, 1, 'the stuck work still holds its slot');
    await assert.rejects(guard.run(async () => undefined), { code: 'resource_exhausted' });
    stuck.resolve();
    await stuck.promise;
    await new Promise((r) => setImmediate(r));
    assert.equal(guard.stats().inFlight, 0);
    assert.deepEqual(guard.stats().refused, { deadline_exceeded: 1, concurrency_limit: 1 });
  });

  it('waits for a hand-off under way when the deadline passes: once the queue takes the batch, the request is accepted', async () => {
    const queueWrite = deferred(); // a persistent queue syncing to disk, say
    const tap = new HandoffTap({ next: { consumeTraces: () => queueWrite.promise } });
    const guard = new RequestGuard({ requestTimeoutMs: 100, handoffs: tap });

    const answer = guard.run(() => tap.consumeTraces(batch(3)));
    // Past the deadline (100 ms), inside the second window the guard gives a hand-off under way
    // (another 100 ms): 50 ms of margin on each side for a busy machine's timers.
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(tap.stats().inProgress, 1);
    queueWrite.resolve();

    await answer;
    assert.equal(guard.stats().accepted, 1);
    assert.equal(tap.stats().acceptedSpans, 3);
  });

  it('does not wait for hand-offs of other requests longer than they take', async () => {
    const otherWrite = deferred();
    const tap = new HandoffTap({ next: { consumeTraces: () => otherWrite.promise } });
    const guard = new RequestGuard({ requestTimeoutMs: 20, handoffs: tap });
    void tap.consumeTraces(batch(1)); // another request's batch, being written
    const processing = deferred(); // ours is still in the processor

    const answer = guard.run(() => processing.promise);
    setTimeout(() => otherWrite.resolve(), 40);

    await assert.rejects(answer, { code: 'deadline_exceeded' });
    processing.resolve();
  });

  it('admits ahead of the work (a body still to be read) under the same cap, and runs the work in that slot without counting it twice', async () => {
    const guard = new RequestGuard({ maxConcurrentRequests: 1 });
    const slot = guard.admit();
    assert.equal(guard.stats().inFlight, 1);
    assert.throws(() => guard.admit(), (err: PipelineError) => err.code === 'resource_exhausted' && /too many concurrent requests/.test(err.message));
    await guard.run(async () => assert.equal(guard.stats().inFlight, 1), slot);
    slot.release(); // idempotent: run released it already
    assert.deepEqual(guard.stats(), { inFlight: 0, accepted: 1, refused: { concurrency_limit: 1 } });

    const abandoned = guard.admit(); // e.g. the body never arrived
    guard.countRefused('receive_timeout');
    abandoned.release();
    assert.deepEqual(guard.stats(), { inFlight: 0, accepted: 1, refused: { concurrency_limit: 1, receive_timeout: 1 } });
  });

  it('rejects bad options', () => {
    assert.throws(() => new RequestGuard({ maxConcurrentRequests: -1 }), /maxConcurrentRequests/);
    assert.throws(() => new RequestGuard({ requestTimeoutMs: 1.5 }), /requestTimeoutMs/);
  });
});

describe('HandoffTap', () => {
  it('counts the spans of batches the next stage took and of those it refused, and passes batches through untouched', async () => {
    const seen: TraceBatch[] = [];
    let refuse = false;
    const tap = new HandoffTap({
      next: {
        consumeTraces: async (b) => {
          seen.push(b);
          if (refuse) throw new PipelineError('resource_exhausted', 'full', 1000);
        },
      },
    });
    const first = batch(5);
    await tap.consumeTraces(first);
    refuse = true;
    await assert.rejects(tap.consumeTraces(batch(7)), { code: 'resource_exhausted' });
    await tap.consumeTraces(batch(0)).catch(() => undefined);

    assert.equal(seen[0], first);
    assert.deepEqual(tap.stats(), { acceptedSpans: 5, refusedSpans: 7, acceptedBatches: 1, refusedBatches: 2, inProgress: 0 });
  });

  it('turns a synchronous throw of the next stage into a rejection', async () => {
    const tap = new HandoffTap({ next: { consumeTraces: () => { throw new Error('sync'); } } });
    await assert.rejects(tap.consumeTraces(batch(2)), /sync/);
    assert.equal(tap.stats().refusedSpans, 2);
    await tap.settled();
  });
});
