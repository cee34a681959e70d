import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SimulatorStats } from '../../src/simulator';
import { failure, ok, openSession, type SdkSession } from './sdk-session';

describe('simulator stats and control routes', () => {
  let s: SdkSession;
  before(async () => {
    s = await openSession();
  });
  after(() => s.close());

  it('counts requests by route pattern and by status, and the bulk id batches', async () => {
    s.sim.resetStats();
    const { active, deleted } = s.sim.org;
    await ok(s.users.getUser(active[0]));
    await failure(s.users.getUser(deleted[0]), 404);
    await ok(s.users.getUser(deleted[0], { state: 'deleted' }));
    await ok(s.users.getUsers({ id: [active[1], active[2]], state: 'any' }));
    await ok(s.users.getUsers({ id: [active[3]], state: 'any' }));
    const stats = s.sim.stats();
    assert.equal(stats.total, 5);
    assert.deepEqual(stats.byRoute, { 'GET /api/v2/users/{id}': 3, 'GET /api/v2/users': 2 });
    assert.deepEqual(stats.byStatus, { '200': 4, '404': 1 });
    assert.deepEqual(stats.bulkIdBatches, [[active[1], active[2]], [active[3]]]);
  });

  it('serves the same stats at GET /__sim/stats, without counting control requests', async () => {
    s.sim.resetStats();
    await ok(s.users.getUserQueues(s.sim.org.active[0], { joined: false }));
    const served = (await (await fetch(`${s.sim.url}/__sim/stats`)).json()) as SimulatorStats;
    const again = (await (await fetch(`${s.sim.url}/__sim/stats`)).json()) as SimulatorStats;
    assert.deepEqual(served, again);
    assert.deepEqual(served.byRoute, { 'GET /api/v2/users/{id}/queues': 1 });
  });

  it('resets stats with POST /__sim/reset-stats', async () => {
    await ok(s.users.getUser(s.sim.org.active[0]));
    assert.equal((await fetch(`${s.sim.url}/__sim/reset-stats`, { method: 'POST' })).status, 204);
    assert.deepEqual(s.sim.stats(), { total: 0, byRoute: {}, byStatus: {}, bulkIdBatches: [] });
  });

  it('hands out snapshots that later requests do not change', async () => {
    s.sim.resetStats();
    const snapshot = s.sim.stats();
    await ok(s.users.getUser(s.sim.org.active[0]));
    assert.equal(snapshot.total, 0);
  });

  it('counts unknown API paths as unmatched and answers them 404', async () => {
    s.sim.resetStats();
    const response = await fetch(`${s.sim.url}/api/v2/nothing/here`, { headers: { Authorization: `Bearer ${s.accessToken}` } });
    assert.equal(response.status, 404);
    assert.deepEqual(s.sim.stats().byRoute, { 'GET (unmatched)': 1 });
  });

  it('serves the demo ids at GET /__sim/org and never the credentials', async () => {
    const text = await (await fetch(`${s.sim.url}/__sim/org`)).text();
    assert.deepEqual(JSON.parse(text), s.sim.org);
    assert.ok(!text.includes(s.sim.clientSecret));
  });
});
