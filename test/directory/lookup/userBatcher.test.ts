import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { GenesysClient } from '../../../src/directory/genesys/genesysClient';
import { UserBatcher } from '../../../src/directory/lookup/userBatcher';
import { UserLookup } from '../../../src/directory/lookup/userLookup';
import { RequestRateLimiter } from '../../../src/directory/genesys/rateLimiter';
import type { Resolution } from '../../../src/directory/types';
import type { RunningSimulator } from '../../../src/simulator/types';
import { BULK_ROUTE, clientFor, manualBulkLookup, routeCount, startSim } from '../support/directoryFixtures';

const ids = (n: number): string[] => Array.from({ length: n }, () => randomUUID());

describe('UserBatcher', () => {
  describe('against the simulator', () => {
    let sim: RunningSimulator;
    let client: GenesysClient;

    before(async () => {
      sim = await startSim();
      client = clientFor(sim);
    });
    beforeEach(() => sim.resetStats());
    after(async () => {
      client.close();
      await sim.close();
    });

    it('sends 250 distinct ids arriving together as exactly 3 bulk calls', async () => {
      const batcher = new UserBatcher({ lookup: new UserLookup({ client }) });
      const wanted = [...sim.org.inactive, ...ids(250 - sim.org.inactive.length)];
      const results = await Promise.all(wanted.map((id) => batcher.load(id)));
      assert.equal(routeCount(sim, BULK_ROUTE), 3);
      assert.deepEqual(sim.stats().bulkIdBatches.map((b) => b.length).sort(), [100, 100, 50].sort());
      assert.deepEqual(new Set(sim.stats().bulkIdBatches.flat()), new Set(wanted));
      assert.deepEqual(results.slice(0, sim.org.inactive.length).map((r) => r.status === 'found' && r.user.state), sim.org.inactive.map(() => 'inactive'));
      assert.ok(results.slice(sim.org.inactive.length).every((r) => r.status === 'not_found'));
      assert.deepEqual(batcher.stats(), { batches: 3, ids: 250, rejected: 0, pending: 0 });
    });
  });

  it('waits batchWindowMs for company, then sends what it has', async () => {
    const bulk = manualBulkLookup();
    const batcher = new UserBatcher({ lookup: bulk, batchWindowMs: 20 });
    const [a, b] = ids(2);
    const first = batcher.load(a!);
    await new Promise((resolve) => setImmediate(resolve));
    const second = batcher.load(b!);
    assert.equal(bulk.batches.length, 0, 'sent before the window closed');
    await bulk.batchesRequested(1);
    assert.deepEqual(bulk.batches, [[a, b]]);
    bulk.release(0);
    assert.deepEqual(await Promise.all([first, second]), [{ status: 'not_found' }, { status: 'not_found' }]);
  });

  it('sends a full batch at once without waiting for the window', async () => {
    const bulk = manualBulkLookup();
    const batcher = new UserBatcher({ lookup: bulk, batchWindowMs: 60_000, maxBatchSize: 3 });
    const loads = ids(3).map((id) => batcher.load(id));
    assert.equal(bulk.batches.length, 1);
    bulk.release(0);
    await Promise.all(loads);
  });

  it('lets a second load of a pending id share the first one’s result', async () => {
    const bulk = manualBulkLookup();
    const batcher = new UserBatcher({ lookup: bulk, batchWindowMs: 0 });
    const [a] = ids(1);
    const first = batcher.load(a!);
    const second = batcher.load(a!);
    await bulk.batchesRequested(1);
    const third = batcher.load(a!); // joins while in flight
    bulk.release(0);
    await Promise.all([first, second, third]);
    assert.deepEqual(bulk.batches, [[a]]);
  });

  it('keeps at most maxConcurrentRequests bulk calls in flight and queues the rest', async () => {
    const bulk = manualBulkLookup();
    const batcher = new UserBatcher({ lookup: bulk, maxBatchSize: 2, maxConcurrentRequests: 2 });
    const loads = ids(8).map((id) => batcher.load(id));
    await bulk.batchesRequested(2);
    assert.equal(bulk.batches.length, 2);
    bulk.release(0);
    await bulk.batchesRequested(3);
    assert.equal(bulk.batches.length, 3);
    bulk.release(1);
    bulk.release(2);
    await bulk.batchesRequested(4);
    bulk.release(3);
    const results = await Promise.all(loads);
    assert.equal(results.length, 8);
    assert.deepEqual(batcher.stats(), { batches: 4, ids: 8, rejected: 0, pending: 0 });
  });

  it('fails new ids at once when maxPendingIds are waiting', async () => {
    const bulk = manualBulkLookup();
    const batcher = new UserBatcher({ lookup: bulk, maxPendingIds: 2, batchWindowMs: 0 });
    const [a, b, c] = ids(3);
    const waiting = [batcher.load(a!), batcher.load(b!)];
    assert.deepEqual(await batcher.load(c!), { status: 'failed', reason: 'look-up queue full' });
    await bulk.batchesRequested(1);
    bulk.release(0);
    await Promise.all(waiting);
    assert.equal(batcher.stats().rejected, 1);
  });

  it('turns a rejecting lookup into failed results instead of rejecting', async () => {
    const bulk = manualBulkLookup();
    const batcher = new UserBatcher({ lookup: bulk, batchWindowMs: 0 });
    const load = batcher.load(ids(1)[0]!);
    await bulk.batchesRequested(1);
    bulk.release(0, new Error('boom'));
    assert.deepEqual(await load, { status: 'failed', reason: 'boom' });
  });

  it('answers an id the lookup left out as failed', async () => {
    const bulk = manualBulkLookup();
    const batcher = new UserBatcher({ lookup: bulk, batchWindowMs: 0 });
    const [a, b] = ids(2);
    const loads = [batcher.load(a!), batcher.load(b!)];
    await bulk.batchesRequested(1);
    bulk.release(0, new Map<string, Resolution>([[a!, { status: 'not_found' }]]));
    const [ra, rb] = await Promise.all(loads);
    assert.deepEqual(ra, { status: 'not_found' });
    assert.equal(rb!.status, 'failed');
  });

  it('close() fails ids not yet sent and later loads; twice is fine', async () => {
    const bulk = manualBulkLookup();
    const batcher = new UserBatcher({ lookup: bulk, batchWindowMs: 60_000 });
    const unsent = batcher.load(ids(1)[0]!);
    batcher.close();
    batcher.close();
    assert.deepEqual(await unsent, { status: 'failed', reason: 'look-up batcher closed' });
    assert.deepEqual(await batcher.load(ids(1)[0]!), { status: 'failed', reason: 'look-up batcher closed' });
    assert.equal(bulk.batches.length, 0);
  });

  it('rejects bad options at construction, naming them', () => {
    const lookup = manualBulkLookup();
    assert.throws(() => new UserBatcher({ lookup, maxBatchSize: 500 }), /UserBatcher: option "maxBatchSize" must be <= 100, got 500/);
    assert.throws(() => new UserBatcher({ lookup, batchWindowMs: -1 }), /UserBatcher: option "batchWindowMs" must be >= 0, got -1/);
    assert.throws(() => new UserBatcher({ lookup, maxConcurrentRequests: 0 }), /"maxConcurrentRequests" must be >= 1/);
    assert.throws(() => new UserBatcher({ lookup: undefined as never }), /UserBatcher: option "lookup" is required/);
  });
});

describe('UserBatcher with the Genesys budget (a rate limiter)', () => {
  /** A limiter whose turns the test grants one by one. */
  function manualLimiter() {
    const turns: Array<() => void> = [];
    return {
      asked: () => turns.length,
      grant: () => turns.shift()!(),
      acquire: () => new Promise<void>((resolve) => turns.push(resolve)),
    };
  }

  it('cuts a batch only when the limiter grants its request, with every id that arrived meanwhile, and sends it admitted', async () => {
    const bulk = manualBulkLookup();
    const admitted: boolean[] = [];
    const limiter = manualLimiter();
    const batcher = new UserBatcher({
      lookup: { lookupMany: (ids, options) => (admitted.push(options?.admitted === true), bulk.lookupMany(ids)) },
      batchWindowMs: 0,
      limiter,
    });
    const first = ids(3).map((id) => batcher.load(id));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const later = ids(40).map((id) => batcher.load(id));
    assert.equal(bulk.batches.length, 0, 'nothing sent before the turn');
    assert.equal(limiter.asked(), 1, 'one turn asked for, not one per window');

    limiter.grant();
    await bulk.batchesRequested(1);

    assert.equal(bulk.batches[0]!.length, 43, 'one fuller call');
    assert.deepEqual(admitted, [true], 'the client does not wait for a second turn');
    bulk.release(0);
    await Promise.all([...first, ...later]);
  });

  it('answers a flood of one new id every few milliseconds with as many calls as the budget allows, each carrying many ids', async () => {
    const bulk = manualBulkLookup();
    // 120 a minute with a burst of 2: at most 2 calls at once, then one every 500 ms.
    const batcher = new UserBatcher({ lookup: bulk, limiter: new RequestRateLimiter({ ratePerMinute: 120 }) });
    const loads: Promise<Resolution>[] = [];
    const started = Date.now();
    for (let i = 0; i < 100; i++) {
      loads.push(batcher.load(randomUUID()));
      await new Promise((resolve) => setTimeout(resolve, 10));
      for (let b = 0; b < bulk.batches.length; b++) bulk.release(b);
    }
    while (batcher.stats().pending > 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (let b = 0; b < bulk.batches.length; b++) bulk.release(b);
    }
    await Promise.all(loads);
    const seconds = (Date.now() - started) / 1000;
    assert.ok(bulk.batches.length <= 2 + Math.ceil(seconds * 2), `${bulk.batches.length} calls in ${seconds.toFixed(1)} s stay within 120/min (burst 2)`);
    assert.equal(bulk.batches.flat().length, 100, 'every id asked once');
  });

  it('sends an id asked for again while it waits before ids asked for once (promote)', async () => {
    const bulk = manualBulkLookup();
    const limiter = manualLimiter();
    const batcher = new UserBatcher({ lookup: bulk, batchWindowMs: 0, maxBatchSize: 2, limiter });
    const [a, b, c, d] = ids(4);
    const loads = [a, b, c, d].map((id) => batcher.load(id!));
    await new Promise((resolve) => setTimeout(resolve, 5));

    batcher.promote(d!);
    batcher.promote(d!); // twice is once
    limiter.grant();
    await bulk.batchesRequested(1);

    assert.deepEqual(bulk.batches[0], [d, a]);
    bulk.release(0);
    limiter.grant();
    await bulk.batchesRequested(2);
    assert.deepEqual(bulk.batches[1], [b, c]);
    bulk.release(1);
    await Promise.all(loads);
  });
});

