/**
 * The breaker against the Genesys simulator behind the real SDK: during
 * `faults.outage` look-ups stop reaching Genesys and fail at once; after the
 * outage a probe closes the circuit by itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BreakerBulkLookup, BreakerSingleLookup, CIRCUIT_OPEN_REASON, CircuitBreaker } from '../../../src/directory/breaker/index';
import { CachedIdentityResolver } from '../../../src/directory/cache/cachedIdentityResolver';
import { UserBatcher } from '../../../src/directory/lookup/userBatcher';
import { UserLookup } from '../../../src/directory/lookup/userLookup';
import type { RunningSimulator } from '../../../src/simulator/types';
import { BULK_ROUTE, clientFor, startSim } from '../support/directoryFixtures';

describe('the Genesys circuit breaker during a simulated outage', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSim();
  });
  after(() => sim.close());

  it('stops calling Genesys while open, answers misses at once, and closes after recovery', async () => {
    const client = clientFor(sim, { retry: { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 20, budgetMs: 2_000 } });
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 300 });
    const batcher = new UserBatcher({ lookup: new BreakerBulkLookup({ lookup: new UserLookup({ client }), breaker }) });
    const resolver = new CachedIdentityResolver({ lookup: new BreakerSingleLookup({ lookup: batcher, breaker }) });
    const [known, a, b, c, d] = sim.org.active;
    try {
      assert.equal((await resolver.resolve([known])).get(known)?.status, 'found');

      sim.faults.outage = true;
      for (const id of [a, b]) assert.equal((await resolver.resolve([id])).get(id)?.status, 'failed');
      assert.equal(breaker.state(), 'open');

      const bulkCalls = sim.stats().byRoute[BULK_ROUTE];
      const started = performance.now();
      const during = await resolver.resolve([c, d]);
      const tookMs = performance.now() - started;
      assert.deepEqual([...during.values()].map((r) => r.status === 'failed' && r.reason), [CIRCUIT_OPEN_REASON, CIRCUIT_OPEN_REASON]);
      assert.ok(tookMs < 50, `answered in ${tookMs.toFixed(1)} ms, not after Genesys retries`);
      assert.equal(sim.stats().byRoute[BULK_ROUTE], bulkCalls, 'Genesys was not called');
      assert.equal(resolver.peek(known)?.status, 'found', 'the cached user is still served');

      sim.faults.outage = false;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(breaker.state(), 'half_open');
      assert.equal((await resolver.resolve([c])).get(c)?.status, 'found', 'the probe got through');
      assert.equal(breaker.state(), 'closed');
      assert.equal((await resolver.resolve([d])).get(d)?.status, 'found');
    } finally {
      batcher.close();
      client.close();
    }
  });
});
