import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FleetRedis } from '../../src/fleet/fleetRedis';
import { SharedSingleLookup } from '../../src/fleet/sharedLookup';
import { CachedIdentityResolver } from '../../src/directory/cache/cachedIdentityResolver';
import type { Resolution } from '../../src/directory/types';
import { type RedisServer, startRedisServer } from '../helpers/redisServer';
import { CountingLookup, connectedRedis, userId } from './support';

const found = (id: string): Resolution => ({ status: 'found', user: { id, name: `User ${id.slice(-4)}`, state: 'active', version: 1 } });

describe('SharedSingleLookup: replicas share look-ups through a real redis-server', () => {
  let server: RedisServer;
  const open: FleetRedis[] = [];
  const replica = async (options: { waitMs?: number } = {}) => {
    const redis = await connectedRedis(server.url, options);
    open.push(redis);
    return redis;
  };
  before(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
    await server.command('FLUSHALL');
  });
  after(() => server.stop());

  it('three replicas missing on the same ids at the same moment make one look-up per id between them', async () => {
    const genesys = [new CountingLookup(found, 80), new CountingLookup(found, 80), new CountingLookup(found, 80)];
    const lookups = await Promise.all(genesys.map(async (next) => new SharedSingleLookup({ redis: await replica(), next })));
    const ids = Array.from({ length: 50 }, (_, i) => userId(i));
    const answers = await Promise.all(lookups.flatMap((l) => ids.map((id) => l.load(id))));
    assert.ok(answers.every((a) => a.status === 'found'));
    assert.equal(genesys.reduce((n, g) => n + g.calls.length, 0), ids.length, 'one Genesys look-up per id for the whole fleet');
    const shared = lookups.reduce((n, l) => n + l.stats().shared, 0);
    assert.equal(shared, ids.length * 2, 'the other two replicas took the answer of the one holding the lock');
  });

  it('answers later misses from Redis with the entry\'s remaining TTL, found and not_found alike', async () => {
    const a = new SharedSingleLookup({ redis: await replica(), next: new CountingLookup((id) => (id === userId(2) ? { status: 'not_found' } : found(id))), ttlMs: 60_000, notFoundTtlMs: 5_000 });
    const bGenesys = new CountingLookup(found);
    const b = new SharedSingleLookup({ redis: await replica(), next: bGenesys });
    await a.load(userId(1));
    await a.load(userId(2));
    const one = await b.load(userId(1));
    const two = await b.load(userId(2));
    assert.equal(one.status, 'found');
    assert.equal(two.status, 'not_found', 'an unknown id is shared too');
    assert.ok(one.ttlMs! > 55_000 && one.ttlMs! <= 60_000, `found TTL ${one.ttlMs}`);
    assert.ok(two.ttlMs! > 0 && two.ttlMs! <= 5_000, `not_found TTL ${two.ttlMs}`);
    assert.deepEqual(bGenesys.calls, [], 'replica B asked Genesys nothing');
    assert.equal(b.stats().hits, 2);
  });

  it('never shares a failed look-up, and frees the lock at once so waiters ask for themselves', async () => {
    const a = new SharedSingleLookup({ redis: await replica(), next: new CountingLookup(() => ({ status: 'failed', reason: 'Genesys said 503' }), 100), lockWaitMs: 10_000 });
    const bGenesys = new CountingLookup(found, 10);
    const b = new SharedSingleLookup({ redis: await replica(), next: bGenesys, lockWaitMs: 10_000 });
    const started = performance.now();
    const [fromA, fromB] = await Promise.all([a.load(userId(3)), new Promise((r) => setTimeout(r, 20)).then(() => b.load(userId(3)))]);
    assert.equal(fromA.status, 'failed');
    assert.equal(fromB.status, 'found', 'B asked Genesys itself once A gave up');
    assert.ok(performance.now() - started < 2000, 'B did not wait for the 10 s lock wait');
    assert.equal(b.stats().fallbacks, 1);
    assert.equal(await server.command('EXISTS', 'genesys-enricher:user:{' + userId(3) + '}'), 1, 'B shared its answer');
  });

  it('asks Genesys itself when the lock holder does not answer within lockWaitMs', async () => {
    const a = new SharedSingleLookup({ redis: await replica(), next: new CountingLookup(found, 3000), lockWaitMs: 300 });
    const bGenesys = new CountingLookup(found, 10);
    const b = new SharedSingleLookup({ redis: await replica(), next: bGenesys, lockWaitMs: 300 });
    const slow = a.load(userId(4));
    await new Promise((r) => setTimeout(r, 30));
    const started = performance.now();
    assert.equal((await b.load(userId(4))).status, 'found');
    const waited = performance.now() - started;
    assert.ok(waited >= 250 && waited < 1500, `waited ${waited} ms`);
    assert.deepEqual(bGenesys.calls, [userId(4)]);
    await slow;
  });

  it('goes straight to its own look-up when Redis is down, within the wait bound, and shares again once Redis is back', async () => {
    const redis = await replica({ waitMs: 50 });
    const genesys = new CountingLookup(found, 5);
    const lookup = new SharedSingleLookup({ redis, next: genesys });
    await server.kill();
    try {
      const started = performance.now();
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => lookup.load(userId(100 + i))));
      assert.ok(answers.every((a) => a.status === 'found'), 'every id still resolved');
      assert.ok(performance.now() - started < 1000, 'Redis being down cost at most its wait bound');
      assert.equal(genesys.calls.length, 20);
    } finally {
      await server.restart();
    }
    const other = new SharedSingleLookup({ redis: await replica(), next: new CountingLookup(found) });
    for (let i = 0; ; i++) {
      await lookup.load(userId(200));
      if ((await other.load(userId(200))).ttlMs !== undefined) break; // answered from Redis
      assert.ok(i < 200, 'sharing did not resume');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('keeps the local cache no fresher than the shared entry it took', async () => {
    let now = 1_000_000;
    const a = new SharedSingleLookup({ redis: await replica(), next: new CountingLookup(found), ttlMs: 60_000 });
    await a.load(userId(5));
    await server.command('PEXPIRE', `genesys-enricher:user:{${userId(5)}}`, '1000');
    const bGenesys = new CountingLookup(found);
    const cache = new CachedIdentityResolver({ lookup: new SharedSingleLookup({ redis: await replica(), next: bGenesys }), ttlMs: 600_000, staleWindowMs: 0, now: () => now });
    await cache.resolve([userId(5)]);
    assert.equal(cache.peek(userId(5))?.status, 'found');
    now += 1500;
    assert.equal(cache.peek(userId(5)), undefined, 'expired with the shared entry, not 10 minutes later');
  });
});
