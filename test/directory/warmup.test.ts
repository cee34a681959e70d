/**
 * Directory warm-up (ENRICHER_WARMUP): the whole org is read with cursor
 * paging into the cache, so spans of known users never wait for Genesys.
 * Against the real simulator behind the real SDK, and through the service.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CachedIdentityResolver } from '../../src/directory/cache/cachedIdentityResolver';
import type { GenesysCaller } from '../../src/directory/lookup/userLookup';
import type { GenesysUser } from '../../src/directory/types';
import { DirectoryWarmup, queryAllUsers } from '../../src/directory/warmup/index';
import type { RunningSimulator } from '../../src/simulator/types';
import { silentLogger } from '../../src/telemetry/logger';
import { sendSpans, startHarness, type Harness } from '../helpers/enricherHarness';
import { BULK_ROUTE, clientFor, routeCount, startSim } from './support/directoryFixtures';

const QUERY_ROUTE = 'GET /api/v2/users/query';

/** Every user id of the simulated org (active, inactive, deleted), from the simulator's own records. */
function orgIds(sim: RunningSimulator): string[] {
  return [...sim.org.active, ...sim.org.inactive, ...sim.org.deleted];
}

/** A resolver whose misses fail loudly: after warm-up nothing may reach it. */
function strictResolver(): CachedIdentityResolver & { loads: number } {
  const counter = { loads: 0 };
  const resolver = new CachedIdentityResolver({
    lookup: {
      load: async () => {
        counter.loads++;
        return { status: 'failed', reason: 'a warm cache must not look up' };
      },
    },
  });
  return Object.assign(resolver, { get loads() { return counter.loads; } });
}

/** A GenesysCaller that plays `pages` (or throws an Error entry) in order, then repeats the last. */
function scriptedPages(pages: ({ entities: unknown[]; cursor?: string } | Error | 'hang')[]): GenesysCaller & { calls: number } {
  const stub = {
    calls: 0,
    call<T>(): Promise<T> {
      const page = pages[Math.min(stub.calls++, pages.length - 1)]!;
      if (page === 'hang') return new Promise<T>(() => undefined);
      return page instanceof Error ? Promise.reject(page) : Promise.resolve(page as T);
    },
  };
  return stub;
}

function entity(n: number): Record<string, unknown> {
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name: `User ${n}`, state: 'active' };
}

describe('DirectoryWarmup', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSim();
  });
  after(() => sim.close());

  it('caches every user of the org, in every state, with one query call per page and no look-ups', async () => {
    const client = clientFor(sim);
    const resolver = strictResolver();
    const warmup = new DirectoryWarmup({ client, cache: resolver, logger: silentLogger(), pageSize: 10, refreshMs: 0 });
    sim.resetStats();
    warmup.start();
    await warmup.firstLoad();
    const ids = orgIds(sim);
    const stats = warmup.stats();
    assert.equal(stats.state, 'loaded');
    assert.ok(stats.users >= ids.length, `${stats.users} users cached`);
    assert.equal(routeCount(sim, QUERY_ROUTE), Math.ceil(stats.users / 10));
    assert.equal(stats.pages, Math.ceil(stats.users / 10));
    for (const id of ids) {
      const hit = resolver.peek(id);
      assert.equal(hit?.status, 'found', id);
      assert.equal(hit.status === 'found' && hit.user.state, sim.getUser(id)!.state);
    }
    assert.equal(resolver.loads, 0);
    assert.equal(routeCount(sim, BULK_ROUTE), 0);
    assert.equal(warmup.ready(), true);
    await warmup.close();
    client.close();
  });

  it('reads users added to the org, on the next refresh', async () => {
    const client = clientFor(sim);
    const resolver = strictResolver();
    const warmup = new DirectoryWarmup({ client, cache: resolver, logger: silentLogger(), refreshMs: 20 });
    warmup.start();
    await warmup.firstLoad();
    const added = sim.putUser({ id: '5eed0000-0000-4000-8000-00000000abcd', name: 'Zed New', username: 'zed@example.com', email: 'zed@example.com', state: 'active', division: { id: 'd', name: 'Home' } });
    while (warmup.stats().loads < 3) await new Promise((r) => setTimeout(r, 10));
    assert.equal(resolver.peek(added.id)?.status, 'found');
    await warmup.close();
    client.close();
  });

  it('pages with the cursor until there is none, reading every state in one pass', async () => {
    const caller = scriptedPages([{ entities: [entity(1), entity(2)], cursor: 'c1' }, { entities: [entity(3), { id: 'broken' }], cursor: 'c2' }, { entities: [] }]);
    const seen: GenesysUser[] = [];
    let skipped = 0;
    for await (const page of queryAllUsers(caller, 2)) {
      seen.push(...page.users);
      skipped += page.skipped;
    }
    assert.deepEqual(seen.map((u) => u.name), ['User 1', 'User 2', 'User 3']);
    assert.equal(skipped, 1, 'an unreadable record is skipped, not fatal');
    assert.equal(caller.calls, 3);
  });

  it('stops on a cursor that does not move instead of paging forever', async () => {
    const caller = scriptedPages([{ entities: [entity(1)], cursor: 'same' }, { entities: [entity(2)], cursor: 'same' }]);
    await assert.rejects(async () => {
      for await (const page of queryAllUsers(caller, 1)) void page;
    }, /cursor did not advance/);
  });

  it('keeps what a failed load cached, reports ready, and succeeds at the next refresh', async () => {
    const resolver = strictResolver();
    const caller = scriptedPages([{ entities: [entity(1)], cursor: 'c1' }, new Error('getUsersQuery: 503 service.unavailable'), { entities: [entity(1), entity(2)] }]);
    const warmup = new DirectoryWarmup({ client: caller, cache: resolver, logger: silentLogger(), refreshMs: 10 });
    warmup.start();
    await warmup.firstLoad();
    assert.equal(warmup.stats().state, 'failed');
    assert.match(warmup.stats().lastError ?? '', /503/);
    assert.equal(warmup.ready(), true, 'a failed load does not hold readiness back');
    assert.equal(resolver.peek(entity(1).id as string)?.status, 'found');
    while (warmup.stats().state !== 'loaded') await new Promise((r) => setTimeout(r, 5));
    assert.equal(resolver.peek(entity(2).id as string)?.status, 'found');
    await warmup.close();
  });

  it('reports ready after the time limit while the first load is still running', async () => {
    const warmup = new DirectoryWarmup({ client: scriptedPages(['hang']), cache: strictResolver(), logger: silentLogger(), readyTimeoutMs: 20, refreshMs: 0 });
    warmup.start();
    assert.equal(warmup.ready(), false);
    while (!warmup.ready()) await new Promise((r) => setTimeout(r, 5));
    assert.equal(warmup.stats().state, 'loading');
    await warmup.close();
    assert.equal(warmup.stats().state, 'stopped');
  });

  it('is ready at once with a time limit of 0, and rejects page sizes Genesys does not serve', async () => {
    const warmup = new DirectoryWarmup({ client: scriptedPages(['hang']), cache: strictResolver(), logger: silentLogger(), readyTimeoutMs: 0 });
    warmup.start();
    assert.equal(warmup.ready(), true);
    await warmup.close();
    assert.throws(() => new DirectoryWarmup({ client: scriptedPages([]), cache: strictResolver(), logger: silentLogger(), pageSize: 501 }), /pageSize/);
  });
});

function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('the service with ENRICHER_WARMUP=on', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ENRICHER_WARMUP: 'on', ENRICHER_WARMUP_TIMEOUT_MS: '10000' } });
  });
  after(() => h.close());

  it('is ready once the org is loaded, then enriches spans of every org user without asking Genesys', async () => {
    const readyz = `http://127.0.0.1:${h.service.adminPort}/readyz`;
    while ((await getStatus(readyz)) !== 200) await new Promise((r) => setTimeout(r, 20));
    h.sim.resetStats();
    const ids = orgIds(h.sim);
    await sendSpans(h.client(), ids, { 'test.run': 'warm' });
    const spans = (await h.sink.waitForSpans(ids.length)).filter((s) => s.attributes['test.run'] === 'warm');
    assert.equal(spans.length, ids.length);
    for (const s of spans) {
      const user = h.sim.getUser(s.attributes['external.user.id'] as string)!;
      assert.equal(s.attributes['user.full_name'], user.name);
      assert.equal(s.attributes['genesys.user.state'], user.state);
    }
    assert.equal(h.sim.stats().total, 0, 'no Genesys call after warm-up');
  });
});
