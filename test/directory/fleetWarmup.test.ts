import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CachedIdentityResolver } from '../../src/directory/cache/cachedIdentityResolver';
import type { GenesysClient } from '../../src/directory/genesys/genesysClient';
import { DirectoryWarmup } from '../../src/directory/warmup/directoryWarmup';
import { FleetWarmup } from '../../src/directory/warmup/fleetWarmup';
import { FleetLease } from '../../src/fleet/fleetLease';
import { FleetRedis } from '../../src/fleet/fleetRedis';
import { SharedSingleLookup } from '../../src/fleet/sharedLookup';
import { SharedWarmupTarget } from '../../src/fleet/sharedWarmupTarget';
import { startSimulator, type Simulator } from '../../src/simulator/index';
import { silentLogger } from '../../src/telemetry/logger';
import { type RedisServer, startRedisServer } from '../helpers/redisServer';
import { CountingLookup, connectedRedis, until } from '../fleet/support';
import { clientFor } from './support/directoryFixtures';

const LEASE_MS = 300;

describe('FleetWarmup: the org is warmed up once per fleet, through a real redis-server', () => {
  let server: RedisServer;
  let sim: Simulator;
  const closers: Array<() => Promise<void> | void> = [];
  before(async () => {
    server = await startRedisServer();
    sim = await startSimulator();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await server.command('FLUSHALL');
  });
  after(async () => {
    await sim.close();
    await server.stop();
  });

  // A replica: its Redis connection, its cache (over the shared look-up), and its fleet warm-up.
  async function replica(options: { connect?: boolean } = {}) {
    const redis = options.connect === false ? new FleetRedis({ url: 'redis://127.0.0.1:1', logger: silentLogger() }) : await connectedRedis(server.url);
    const client: GenesysClient = clientFor(sim);
    const lookups = new CountingLookup(() => ({ status: 'not_found' }), 1);
    const cache = new CachedIdentityResolver({ lookup: new SharedSingleLookup({ redis, next: lookups }) });
    const warmup = new FleetWarmup({
      lease: new FleetLease({ redis, name: 'lease:warmup', leaseMs: LEASE_MS }),
      logger: silentLogger(),
      warmup: () => new DirectoryWarmup({ client, cache: new SharedWarmupTarget({ local: cache, redis, ttlMs: 600_000 }), logger: silentLogger(), refreshMs: 0 }),
    });
    closers.push(() => client.close(), () => redis.close(), () => warmup.close());
    return { redis, cache, warmup, lookups };
  }

  const queryCalls = () => Object.entries(sim.stats().byRoute).filter(([route]) => route.includes('/api/v2/users/query')).reduce((n, [, c]) => n + c, 0);

  it('one replica of three loads the org; the others call Genesys for nothing and find the users in Redis', async () => {
    sim.resetStats();
    const replicas = [await replica(), await replica(), await replica()];
    replicas.forEach((r) => r.warmup.start());
    await until(() => replicas.every((r) => r.warmup.ready()));
    assert.equal(replicas.filter((r) => r.warmup.leading()).length, 1, 'exactly one leader');
    const leader = replicas.find((r) => r.warmup.leading())!;
    await until(() => leader.cache.peek(sim.org.active[0]!) !== undefined);
    const pages = queryCalls();
    assert.ok(pages >= 1, `the leader loaded the org: ${JSON.stringify(sim.stats().byRoute)}`);
    await new Promise((r) => setTimeout(r, LEASE_MS * 2));
    assert.equal(queryCalls(), pages, 'no other replica loaded it');
    const follower = replicas.find((r) => !r.warmup.leading())!;
    const ids = [...sim.org.active, ...sim.org.inactive];
    const answers = await follower.cache.resolve(ids);
    assert.ok([...answers.values()].every((a) => a.status === 'found'));
    assert.deepEqual(follower.lookups.calls, [], 'the follower found every user in Redis');
  });

  it('when the leader dies, another replica takes over after the lease', async () => {
    const replicas = [await replica(), await replica()];
    replicas.forEach((r) => r.warmup.start());
    await until(() => replicas.some((r) => r.warmup.leading()));
    const leader = replicas.find((r) => r.warmup.leading())!;
    const other = replicas.find((r) => r !== leader)!;
    assert.equal(other.warmup.leading(), false);
    await leader.redis.close(); // dies: stops renewing, never releases
    await until(() => other.warmup.leading(), LEASE_MS * 10);
  });

  it('warms up alone when Redis cannot say who leads', async () => {
    const alone = await replica({ connect: false });
    alone.warmup.start();
    await until(() => alone.warmup.leading(), LEASE_MS * 10);
  });
});
