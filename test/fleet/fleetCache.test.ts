import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CachedIdentityResolver } from '../../src/directory/cache/cachedIdentityResolver';
import type { GenesysUser, Resolution } from '../../src/directory/types';
import { FleetCache } from '../../src/fleet/fleetCache';
import type { FleetRedis } from '../../src/fleet/fleetRedis';
import { SharedSingleLookup } from '../../src/fleet/sharedLookup';
import { silentLogger } from '../../src/telemetry/logger';
import { type RedisServer, startRedisServer } from '../helpers/redisServer';
import { CountingLookup, connectedRedis, until, userId } from './support';

const ID = userId(42);
const active: GenesysUser = { id: ID, name: 'Ada Agent', state: 'active', version: 3 };
const inactive: GenesysUser = { ...active, state: 'inactive', version: 4 };

describe('FleetCache: a changed user reaches every replica', () => {
  let server: RedisServer;
  const open: FleetRedis[] = [];
  before(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
    await server.command('FLUSHALL');
  });
  after(() => server.stop());

  // A replica: its Redis connection, its local cache over the shared look-up, and the fleet cache a deactivation refreshes.
  async function replica(genesys: (id: string) => Resolution = () => ({ status: 'found', user: active })) {
    const redis = await connectedRedis(server.url);
    open.push(redis);
    const calls = new CountingLookup(genesys, 5);
    const local = new CachedIdentityResolver({ lookup: new SharedSingleLookup({ redis, next: calls }) });
    const fleet = new FleetCache({ redis, local, logger: silentLogger() });
    fleet.listen();
    return { redis, local, fleet, calls };
  }

  it('a deactivation on one replica replaces the user in every other replica\'s local cache and in Redis', async () => {
    const [a, b, c] = [await replica(), await replica(), await replica()];
    await Promise.all([a, b, c].map((r) => r.local.resolve([ID])));
    assert.equal(b.local.peek(ID)?.status, 'found');
    await new Promise((r) => setTimeout(r, 100)); // the subscriptions are up
    await a.fleet.set(inactive);
    await until(() => [b, c].every((r) => { const p = r.local.peek(ID); return p?.status === 'found' && p.user.state === 'inactive'; }), 2000);
    assert.equal(b.fleet.stats().applied, 1);
    assert.equal(a.fleet.stats().published, 1);
    const d = await replica();
    const fresh = await d.local.resolve([ID]);
    assert.equal((fresh.get(ID) as { user: GenesysUser }).user.state, 'inactive', 'a replica that starts later reads the new state from Redis');
    assert.deepEqual(d.calls.calls, []);
  });

  it('does not let a late, older announcement undo a newer state', async () => {
    const [a, b] = [await replica(), await replica()];
    await new Promise((r) => setTimeout(r, 100));
    b.local.set({ ...active, state: 'active', version: 9 });
    await a.fleet.set(inactive); // version 4
    await new Promise((r) => setTimeout(r, 200));
    const held = b.local.peek(ID);
    assert.equal(held?.status === 'found' && held.user.version, 9);
  });

  it('still changes the local cache when Redis is down, and says the others were not told', async () => {
    const a = await replica();
    await server.kill();
    try {
      await a.fleet.set(inactive);
      const held = a.local.peek(ID);
      assert.equal(held?.status === 'found' && held.user.state, 'inactive');
      assert.equal(a.fleet.stats().publishFailures, 1);
    } finally {
      await server.restart();
    }
  });
});
