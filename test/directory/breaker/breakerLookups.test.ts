/**
 * The circuit breaker in the directory chain: resolver -> breaker fast path ->
 * batcher -> breaker -> bulk look-up. A fake bulk look-up stands in for
 * Genesys; fake clocks drive the cache TTL and the cool-down.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BreakerBulkLookup, BreakerSingleLookup, CIRCUIT_OPEN_REASON, CircuitBreaker } from '../../../src/directory/breaker/index';
import { CachedIdentityResolver } from '../../../src/directory/cache/cachedIdentityResolver';
import { type BulkLookup, UserBatcher } from '../../../src/directory/lookup/userBatcher';
import type { Resolution } from '../../../src/directory/types';
import { fakeClock } from '../support/directoryFixtures';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Genesys as a switch: up answers every id as an active user, down fails every id. */
function switchableGenesys() {
  const genesys = {
    up: true,
    calls: [] as string[][],
    lookupMany(ids: readonly string[]): Promise<ReadonlyMap<string, Resolution>> {
      genesys.calls.push([...ids]);
      const answer = (id: string): Resolution =>
        genesys.up ? { status: 'found', user: { id, name: `user ${id.slice(-2)}`, state: 'active' } } : { status: 'failed', reason: 'getUsers: 503 service unavailable' };
      return Promise.resolve(new Map(ids.map((id) => [id, answer(id)])));
    },
  } satisfies BulkLookup & Record<string, unknown>;
  return genesys;
}

function chain(options: { threshold?: number; cooldownMs?: number } = {}) {
  const genesys = switchableGenesys();
  const breakerClock = fakeClock();
  const cacheClock = fakeClock();
  const breaker = new CircuitBreaker({ failureThreshold: options.threshold ?? 2, cooldownMs: options.cooldownMs ?? 10_000, now: breakerClock.now });
  const batcher = new UserBatcher({ lookup: new BreakerBulkLookup({ lookup: genesys, breaker }), batchWindowMs: 0 });
  const resolver = new CachedIdentityResolver({
    lookup: new BreakerSingleLookup({ lookup: batcher, breaker }),
    ttlMs: 60_000,
    staleWindowMs: 3_600_000,
    now: cacheClock.now,
  });
  return { genesys, breaker, breakerClock, cacheClock, batcher, resolver };
}

async function resolveOne(resolver: CachedIdentityResolver, id: string): Promise<Resolution> {
  return (await resolver.resolve([id])).get(id)!;
}

describe('the Genesys circuit breaker in the directory', () => {
  it('stays closed while Genesys throttles (429 past the call budget): throttling is busy, not down', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 10_000 });
    const throttled: Resolution = { status: 'failed', reason: 'getUsers: 429 budget_exhausted', throttled: true };
    const lookup = new BreakerBulkLookup({ lookup: { lookupMany: async (ids) => new Map(ids.map((id) => [id, throttled])) }, breaker });

    for (let i = 0; i < 5; i++) await lookup.lookupMany([ID(i)]);

    assert.equal(breaker.state(), 'closed');
  });

  it('opens after consecutive failed bulk look-ups; then misses fail at once without a call', async () => {
    const c = chain({ threshold: 2 });
    c.genesys.up = false;
    assert.equal((await resolveOne(c.resolver, ID(1))).status, 'failed');
    assert.equal((await resolveOne(c.resolver, ID(2))).status, 'failed');
    assert.equal(c.breaker.state(), 'open');
    const callsWhenOpened = c.genesys.calls.length;

    const answers = await c.resolver.resolve([ID(3), ID(4), ID(5)]);

    assert.equal(c.genesys.calls.length, callsWhenOpened, 'no call while open');
    assert.deepEqual([...answers.values()], Array(3).fill({ status: 'failed', reason: CIRCUIT_OPEN_REASON }));
    assert.equal(c.breaker.stats().shortCircuited, 3);
    assert.equal(c.batcher.stats().pending, 0, 'nothing queued behind the open circuit');
  });

  it('keeps serving cached entries, fresh and stale, while open; a refused refresh keeps the stale one', async () => {
    const c = chain({ threshold: 1 });
    const known = await resolveOne(c.resolver, ID(7));
    assert.equal(known.status, 'found');
    c.genesys.up = false;
    await resolveOne(c.resolver, ID(8));
    assert.equal(c.breaker.state(), 'open');

    assert.deepEqual(c.resolver.peek(ID(7)), known, 'fresh hit');
    c.cacheClock.advance(120_000); // past the TTL, inside the stale window
    const calls = c.genesys.calls.length;
    assert.deepEqual(c.resolver.peek(ID(7)), known, 'stale hit, refresh started');
    await c.resolver.idle();
    assert.equal(c.genesys.calls.length, calls, 'the refresh was refused by the circuit, not sent');
    assert.deepEqual(c.resolver.peek(ID(7)), known, 'and the stale entry stays');
    assert.equal(c.resolver.stats().stale, 2);
  });

  it('after the cool-down lets one probe through; its success closes the circuit and look-ups resume', async () => {
    const c = chain({ threshold: 1, cooldownMs: 5_000 });
    c.genesys.up = false;
    await resolveOne(c.resolver, ID(1));
    c.genesys.up = true; // Genesys recovered, but the circuit does not know yet
    assert.equal((await resolveOne(c.resolver, ID(2))).status, 'failed');
    const calls = c.genesys.calls.length;

    c.breakerClock.advance(5_000);
    assert.equal(c.breaker.state(), 'half_open');
    const probed = await resolveOne(c.resolver, ID(3));

    assert.equal(probed.status, 'found');
    assert.equal(c.genesys.calls.length, calls + 1, 'one probe call');
    assert.equal(c.breaker.state(), 'closed');
    assert.equal((await resolveOne(c.resolver, ID(2))).status, 'found', 'the id refused earlier resolves now');
  });

  it('fails other misses at once while the probe is in flight', async () => {
    const c = chain({ threshold: 1, cooldownMs: 1_000 });
    c.genesys.up = false;
    await resolveOne(c.resolver, ID(1));
    c.breakerClock.advance(1_000);
    let release!: () => void;
    const slow = c.genesys.lookupMany;
    c.genesys.lookupMany = (ids) => new Promise((resolve) => (release = () => resolve(slow(ids)))) as never;
    c.genesys.up = true;

    const probe = resolveOne(c.resolver, ID(2));
    await new Promise((r) => setTimeout(r, 5)); // the batch window passes, the probe is sent
    assert.equal(c.breaker.admitsCalls(), false);
    assert.deepEqual(await resolveOne(c.resolver, ID(3)), { status: 'failed', reason: CIRCUIT_OPEN_REASON });

    release();
    assert.equal((await probe).status, 'found');
    assert.equal(c.breaker.state(), 'closed');
  });

  it('counts a bulk look-up with any definite answer as a success (one unreadable record is not an outage)', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    const mixed: BulkLookup = {
      lookupMany: (ids) =>
        Promise.resolve(new Map<string, Resolution>(ids.map((id, i) => [id, i === 0 ? { status: 'failed', reason: 'unreadable' } : { status: 'not_found' }]))),
    };
    await new BreakerBulkLookup({ lookup: mixed, breaker }).lookupMany([ID(1), ID(2)]);
    assert.equal(breaker.state(), 'closed');
  });
});
