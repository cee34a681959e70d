import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { CachedIdentityResolver } from '../../../src/directory/cache/cachedIdentityResolver';
import type { Resolution } from '../../../src/directory/types';
import type { RunningSimulator } from '../../../src/simulator/types';
import {
  BULK_ROUTE,
  TOKEN_ROUTE,
  directoryStack,
  fakeClock,
  routeCount,
  startSim,
  type DirectoryStack,
  type FakeClock,
} from '../support/directoryFixtures';

const TTL = 600_000;
const NOT_FOUND_TTL = 60_000;
const STALE_WINDOW = 3_600_000;

const nameOf = (r: Resolution | undefined): string | undefined => (r?.status === 'found' ? r.user.name : undefined);

describe('CachedIdentityResolver', () => {
  let sim: RunningSimulator;
  let clock: FakeClock;
  let stack: DirectoryStack;
  let resolver: CachedIdentityResolver;

  /** A stack on the fake clock with the default TTLs; `patch` tweaks the resolver or client. */
  function build(patch: Parameters<typeof directoryStack>[1] = {}, target: RunningSimulator = sim): void {
    stack?.close();
    stack = directoryStack(target, { ...patch, resolver: { now: clock.now, ...patch.resolver } });
    resolver = stack.resolver;
  }

  before(async () => {
    sim = await startSim();
  });
  beforeEach(() => {
    for (const key of Object.keys(sim.faults) as (keyof typeof sim.faults)[]) delete sim.faults[key];
    sim.resetStats();
    clock = fakeClock();
    build();
  });
  afterEach(() => stack.close());
  after(() => sim.close());

  it('resolves active, inactive and deleted users as found and unknown ids as not_found', async () => {
    const wanted = { active: sim.org.active[0]!, inactive: sim.org.inactive[0]!, deleted: sim.org.deleted[0]! };
    const unknown = sim.org.unknown[0]!;
    const result = await resolver.resolve([...Object.values(wanted), unknown]);
    for (const [state, id] of Object.entries(wanted)) {
      const r = result.get(id);
      assert.equal(r?.status === 'found' && r.user.state, state);
      assert.equal(nameOf(r), sim.getUser(id)!.name);
    }
    assert.deepEqual(result.get(unknown), { status: 'not_found' });
    assert.equal(routeCount(sim, BULK_ROUTE), 1);
  });

  it('answers 50 concurrent resolves of one id with a single request', async () => {
    const id = sim.org.active[0]!;
    const results = await Promise.all(Array.from({ length: 50 }, () => resolver.resolve([id])));
    assert.ok(results.every((m) => m.get(id)?.status === 'found'));
    assert.equal(routeCount(sim, BULK_ROUTE), 1);
    assert.deepEqual(sim.stats().bulkIdBatches, [[id]]);
    assert.equal(resolver.stats().fetches, 1);
    assert.equal(resolver.stats().coalesced, 49);
  });

  it('sends 250 distinct misses as exactly 3 bulk calls', async () => {
    const wanted = [...sim.org.active, ...Array.from({ length: 250 - sim.org.active.length }, () => randomUUID())];
    const result = await resolver.resolve(wanted);
    assert.equal(result.size, 250);
    assert.equal(routeCount(sim, BULK_ROUTE), 3);
    assert.deepEqual(sim.stats().bulkIdBatches.map((b) => b.length).sort(), [100, 100, 50].sort());
  });

  it('serves a cached id from peek and resolve without a request', async () => {
    const id = sim.org.active[0]!;
    await resolver.resolve([id]);
    sim.resetStats();
    assert.equal(nameOf(resolver.peek(id)), sim.getUser(id)!.name);
    assert.equal((await resolver.resolve([id])).get(id)?.status, 'found');
    assert.equal(sim.stats().total, 0);
    assert.equal(resolver.stats().hits, 2);
  });

  it('misses on peek without doing any I/O', () => {
    assert.equal(resolver.peek(sim.org.active[0]!), undefined);
    assert.equal(resolver.stats().misses, 1);
    assert.equal(sim.stats().total, 0);
  });

  it('keeps not_found for a shorter time than found', async () => {
    build({ resolver: { staleWindowMs: 0 } });
    const [found, unknown] = [sim.org.active[0]!, sim.org.unknown[0]!];
    await resolver.resolve([found, unknown]);
    clock.advance(NOT_FOUND_TTL - 1);
    assert.deepEqual(resolver.peek(unknown), { status: 'not_found' });
    clock.advance(2);
    assert.equal(resolver.peek(unknown), undefined, 'not_found outlived its TTL');
    assert.equal(resolver.peek(found)?.status, 'found');
    clock.advance(TTL - NOT_FOUND_TTL);
    assert.equal(resolver.peek(found), undefined, 'found outlived its TTL');
  });

  it('serves a stale entry at once and refreshes it in the background', async () => {
    const id = sim.org.active[0]!;
    const before = sim.getUser(id)!;
    await resolver.resolve([id]);
    sim.putUser({ ...before, name: 'Renamed Agent' });
    sim.resetStats();
    clock.advance(TTL + 1);
    assert.equal(nameOf(resolver.peek(id)), before.name, 'stale value expected');
    assert.equal(nameOf(resolver.peek(id)), before.name, 'a second peek while refreshing still serves it');
    await resolver.idle();
    assert.deepEqual(sim.stats().bulkIdBatches, [[id]], 'exactly one refresh');
    assert.equal(nameOf(resolver.peek(id)), 'Renamed Agent');
    assert.deepEqual([resolver.stats().stale, resolver.stats().hits], [2, 1]);
  });

  it('treats an entry past the stale window as a miss, and resolve waits for the fresh answer', async () => {
    const id = sim.org.active[0]!;
    const before = sim.getUser(id)!;
    await resolver.resolve([id]);
    sim.putUser({ ...before, name: 'Renamed Agent' });
    clock.advance(TTL + STALE_WINDOW + 1);
    assert.equal(resolver.peek(id), undefined);
    assert.equal(nameOf((await resolver.resolve([id])).get(id)), 'Renamed Agent');
  });

  describe('when Genesys is down', () => {
    // Budget stops abandon requests in flight: each test gets a simulator of its own, closed after it.
    const budgetMs = 250;
    let down: RunningSimulator;
    beforeEach(async () => {
      down = await startSim();
      build({ client: { retry: { maxAttempts: 10, initialBackoffMs: 20, maxBackoffMs: 100, budgetMs }, requestTimeoutMs: 150 } }, down);
    });
    afterEach(() => down.close());

    it('answers a miss failed within the retry budget, and does not cache the failure', async () => {
      const id = down.org.active[0]!;
      down.faults.outage = true;
      const started = performance.now();
      const r = (await resolver.resolve([id])).get(id);
      const elapsed = performance.now() - started;
      assert.equal(r?.status, 'failed');
      assert.match((r as { reason: string }).reason, /budget_exhausted|503/);
      assert.ok(elapsed < budgetMs + 300, `took ${elapsed} ms`);
      assert.equal(resolver.peek(id), undefined, 'failure was cached');
      down.faults.outage = false;
      assert.equal((await resolver.resolve([id])).get(id)?.status, 'found');
      assert.deepEqual([resolver.stats().fetches, resolver.stats().failures], [2, 1], 'the next resolve must ask again');
    });

    it('fails fast on dropped connections too', async () => {
      const id = down.org.active[0]!;
      down.faults.outage = true;
      down.faults.outageMode = 'reset';
      const started = performance.now();
      assert.equal((await resolver.resolve([id])).get(id)?.status, 'failed');
      assert.ok(performance.now() - started < budgetMs + 300);
    });

    it('still serves a stale entry from peek and resolve, and keeps it', async () => {
      const id = down.org.active[0]!;
      await resolver.resolve([id]);
      clock.advance(TTL + 1);
      down.faults.outage = true;
      assert.equal(resolver.peek(id)?.status, 'found');
      await resolver.idle(); // the background refresh fails
      assert.equal(resolver.stats().failures, 1);
      assert.equal(resolver.peek(id)?.status, 'found');
      assert.equal((await resolver.resolve([id])).get(id)?.status, 'found');
    });

    it('drops an entry past the stale window when its refresh fails', async () => {
      const id = down.org.active[0]!;
      await resolver.resolve([id]);
      clock.advance(TTL + STALE_WINDOW + 1);
      down.faults.outage = true;
      assert.equal((await resolver.resolve([id])).get(id)?.status, 'failed');
      assert.equal(resolver.stats().size, 0);
    });
  });

  it('rides out a 429 burst: waits Retry-After (1 s) and resolves', async () => {
    await resolver.resolve([sim.org.active[0]!]); // token first
    sim.resetStats();
    sim.faults.rateLimitBurst = { count: 1, retryAfterSeconds: 1 };
    const started = performance.now();
    const result = await resolver.resolve([sim.org.active[1]!, sim.org.active[2]!]);
    assert.ok([...result.values()].every((r) => r.status === 'found'));
    assert.ok(performance.now() - started >= 950);
    assert.equal(routeCount(sim, BULK_ROUTE), 2, 'one 429, one success');
    assert.deepEqual(sim.stats().byStatus, { '200': 1, '429': 1 });
  });

  it('renews the token once when it expires mid-run, and resolves', async () => {
    await resolver.resolve([sim.org.active[0]!]);
    sim.expireAllTokens();
    const id = sim.org.active[1]!;
    assert.equal((await resolver.resolve([id])).get(id)?.status, 'found');
    assert.equal(routeCount(sim, TOKEN_ROUTE), 2);
    assert.equal(sim.stats().byStatus['401'], 1);
  });

  it('never sends malformed ids to Genesys and answers them not_found', async () => {
    const bad = ['bob', ` ${sim.org.active[0]}`, `${sim.org.active[0]}\n`, `${sim.org.active[0]}ff`, 'x'.repeat(10_000)];
    const result = await resolver.resolve(bad);
    for (const raw of bad) {
      assert.deepEqual(result.get(raw), { status: 'not_found' });
      assert.deepEqual(resolver.peek(raw), { status: 'not_found' });
    }
    assert.equal(sim.stats().total, 0);
    assert.equal(resolver.stats().invalid, bad.length * 2);
  });

  it('resolves an uppercase id, keyed as given, and caches it under the lowercase form', async () => {
    const id = sim.org.active[0]!;
    const result = await resolver.resolve([id.toUpperCase()]);
    assert.equal(result.get(id.toUpperCase())?.status, 'found');
    assert.equal(resolver.peek(id)?.status, 'found');
    assert.deepEqual(sim.stats().bulkIdBatches, [[id]]);
  });

  it('refresh() looks a fresh entry up again; set() caches without a request', async () => {
    const id = sim.org.active[0]!;
    const before = sim.getUser(id)!;
    await resolver.resolve([id]);
    sim.putUser({ ...before, state: 'inactive' });
    const refreshed = await resolver.refresh(id);
    assert.equal(refreshed.status === 'found' && refreshed.user.state, 'inactive');
    assert.equal(routeCount(sim, BULK_ROUTE), 2);
    const other = sim.org.active[1]!;
    resolver.set({ id: other.toUpperCase(), state: 'active', name: 'Set Directly' });
    assert.equal(nameOf(resolver.peek(other)), 'Set Directly');
    assert.equal(routeCount(sim, BULK_ROUTE), 2);
    assert.throws(() => resolver.set({ id: 'bob', state: 'active' }), /not a Genesys user id/);
  });

  it('rejects bad options at construction, naming them', () => {
    const lookup = stack.batcher;
    assert.throws(() => new CachedIdentityResolver({ lookup, max: 0 }), /CachedIdentityResolver: option "max" must be >= 1, got 0/);
    assert.throws(() => new CachedIdentityResolver({ lookup, ttlMs: 1.5 }), /option "ttlMs" must be an integer/);
    assert.throws(() => new CachedIdentityResolver({ lookup, notFoundTtlMs: 0 }), /option "notFoundTtlMs" must be >= 1/);
    assert.throws(() => new CachedIdentityResolver({ lookup, staleWindowMs: -1 }), /option "staleWindowMs" must be >= 0/);
    assert.throws(() => new CachedIdentityResolver({ lookup: undefined as never }), /option "lookup" is required/);
  });

  it('evicts least recently used: an id that traffic keeps probing survives a flood of one-off ids', async () => {
    const loads: string[] = [];
    const lru = new CachedIdentityResolver({
      max: 3,
      lookup: { load: async (id) => (loads.push(id), { status: 'found', user: { id, name: id.slice(0, 4), state: 'active' } }) },
    });
    const [regular, ...flood] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await lru.resolve([regular!]);
    for (const id of flood) {
      assert.ok(lru.peek(regular!), 'the regular id is still cached');
      await lru.resolve([id]);
    }
    assert.ok(lru.peek(regular!), 'kept: every probe made it the most recently used');
    assert.equal(loads.filter((id) => id === regular).length, 1, 'looked up once');
  });

  it('tells the look-up when a miss still waiting is asked for again, so it can go first', async () => {
    const promoted: string[] = [];
    let answer!: (r: Resolution) => void;
    const waiting = new CachedIdentityResolver({
      lookup: { load: () => new Promise<Resolution>((resolve) => (answer = resolve)), promote: (id) => promoted.push(id) },
    });
    const id = randomUUID();
    const first = waiting.resolve([id]);
    const again = waiting.resolve([id]);
    answer({ status: 'not_found' });
    await Promise.all([first, again]);
    assert.deepEqual(promoted, [id]);
  });
});

