import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BulkRunner, type BulkProgress } from '../../src/deactivation/bulk';
import { Deactivator } from '../../src/deactivation/deactivator';
import type { DeactivationUseCase } from '../../src/deactivation/types';
import { RequestRateLimiter } from '../../src/directory/genesys/rateLimiter';
import { silentLogger } from '../../src/telemetry/logger';
import { clientFor } from '../directory/support/directoryFixtures';
import { ACTOR, startRig, type Rig } from './support/rig';

/** A clock that advances `stepMs` each time it is read: progress estimates become exact. */
function steppingClock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs) - stepMs;
}

/** Wraps a use case to count runs in flight. */
function counting(inner: DeactivationUseCase): DeactivationUseCase & { maxInFlight: number } {
  let inFlight = 0;
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    wrapper.maxInFlight = Math.max(wrapper.maxInFlight, ++inFlight);
    try {
      return await work();
    } finally {
      inFlight--;
    }
  };
  const wrapper = {
    maxInFlight: 0,
    deactivate: (id: string, o: Parameters<DeactivationUseCase['deactivate']>[1]) => track(() => inner.deactivate(id, o)),
    reactivate: (id: string, o: Parameters<DeactivationUseCase['reactivate']>[1]) => track(() => inner.reactivate(id, o)),
    identity: (id: string) => inner.identity(id),
  };
  return wrapper;
}

describe('BulkRunner', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  beforeEach(() => rig.sim.resetStats());
  after(() => rig.close());

  it('runs every user; a malformed id and an unknown user fail alone; progress counts and estimates the time left', async () => {
    const [a, b] = [rig.sim.org.active[20]!, rig.sim.org.active[21]!];
    const unknown = rig.sim.org.unknown[2]!;
    const progress: BulkProgress[] = [];
    const runner = new BulkRunner({ useCase: rig.deactivator(), now: steppingClock(1_000) });
    const result = await runner.runBulk([a, 'not-an-id', unknown, b, a.toUpperCase()], 'deactivate', { actor: ACTOR }, (p) => progress.push(p));

    assert.deepEqual(
      result.results.map((r) => [r.userId, r.ok ? r.report.status : r.error.code]),
      [[a, 'completed'], ['not-an-id', 'invalid_user_id'], [unknown, 'user_not_found'], [b, 'completed']],
      'in input order, the repeated id once',
    );
    assert.deepEqual([result.total, result.failed, result.aborted], [4, 2, false]);
    assert.deepEqual(
      progress.map((p) => [p.done, p.total, p.failed, p.etaMs]),
      [[0, 4, 0, undefined], [1, 4, 0, 3_000], [2, 4, 1, 2_000], [3, 4, 2, 1_000], [4, 4, 2, 0]],
    );
    assert.equal(rig.sim.getUser(a)!.state, 'inactive');
    assert.equal(rig.sim.getUser(b)!.state, 'inactive');
  });

  it('runs a few users at once when asked, never more', async () => {
    const ids = rig.sim.org.active.slice(22, 26);
    const useCase = counting(rig.deactivator());
    const result = await new BulkRunner({ useCase, concurrency: 2 }).runBulk(ids, 'deactivate', { actor: ACTOR, dryRun: true });
    assert.ok(result.results.every((r) => r.ok && r.report.status === 'planned'));
    assert.equal(useCase.maxInFlight, 2);
  });

  it('stops starting users once the signal aborts; those come back aborted', async () => {
    const ids = rig.sim.org.active.slice(26, 29);
    const stop = new AbortController();
    const result = await new BulkRunner({ useCase: rig.deactivator() }).runBulk(ids, 'deactivate', { actor: ACTOR, dryRun: true, signal: stop.signal }, (p) => {
      if (p.done === 1) stop.abort();
    });
    assert.equal(result.aborted, true);
    assert.deepEqual(result.results.map((r) => (r.ok ? r.report.status : r.error.code)), ['planned', 'aborted', 'aborted']);
  });

  it('keeps a whole bulk run under the configured request rate (fake clock: no real waiting)', async () => {
    let t = 0;
    const granted: number[] = [];
    const limiter = new RequestRateLimiter({ ratePerMinute: 60, burst: 3, now: () => t, sleep: async (ms) => void (t += ms) });
    const client = clientFor(rig.sim, {
      rateLimiter: { acquire: (signal) => limiter.acquire(signal).then(() => void granted.push(t)), throttled: (ms) => limiter.throttled(ms) },
    });
    try {
      const deactivator = new Deactivator({ client, journal: rig.journal(), logger: silentLogger() });
      const ids = [rig.sim.org.active[29]!, rig.sim.org.inactive[3]!];
      const result = await new BulkRunner({ useCase: deactivator }).runBulk(ids, 'deactivate', { actor: ACTOR });
      assert.deepEqual(result.results.map((r) => r.ok && r.report.status), ['completed', 'completed']);

      const apiRequests = rig.sim.stats().total - (rig.sim.stats().byRoute['POST /oauth/token'] ?? 0);
      assert.equal(granted.length, apiRequests, 'every API request waited for its turn');
      const perMinute = Math.max(...granted.map((start) => granted.filter((g) => g >= start && g < start + 60_000).length));
      assert.ok(perMinute <= 60 + 3, `busiest minute held ${perMinute} requests`);
      assert.ok(t >= (granted.length - 3) * 1_000, 'the run took as long as the rate demands');
    } finally {
      client.close();
    }
  });

  it('rejects bad options at construction', () => {
    assert.throws(() => new BulkRunner({ useCase: rig.deactivator(), concurrency: 9 }), /BulkRunner: option "concurrency" must be <= 8/);
    assert.throws(() => new BulkRunner({} as never), /BulkRunner: option "useCase" is required/);
  });
});
