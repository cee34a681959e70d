import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RequestRateLimiter } from '../../src/directory/genesys/rateLimiter';
import { FleetRequestLimiter } from '../../src/fleet/fleetLimiter';
import type { FleetRedis } from '../../src/fleet/fleetRedis';
import { type RedisServer, startRedisServer } from '../helpers/redisServer';
import { connectedRedis } from './support';

describe('FleetRequestLimiter: one Genesys budget for the fleet, through a real redis-server', () => {
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

  const replica = async (ratePerWindow: number, windowMs: number, localRpm = 100_000) => {
    const redis = await connectedRedis(server.url, { waitMs: 200 });
    open.push(redis);
    const local = new RequestRateLimiter({ ratePerMinute: localRpm, burst: 1000 });
    return { local, limiter: new FleetRequestLimiter({ redis, local, ratePerWindow, windowMs, maxPauseMs: 50 }) };
  };

  it('three replicas asking flat out together stay under the ceiling in every window', async () => {
    const LIMIT = 6;
    const WINDOW = 1000;
    const replicas = [await replica(LIMIT, WINDOW), await replica(LIMIT, WINDOW), await replica(LIMIT, WINDOW)];
    const grants: number[] = [];
    const stopAt = performance.now() + 3 * WINDOW + 300;
    await Promise.all(
      replicas.flatMap(({ limiter }) =>
        Array.from({ length: 4 }, async () => {
          while (performance.now() < stopAt) {
            await limiter.acquire();
            grants.push(performance.now());
          }
        }),
      ),
    );
    grants.sort((x, y) => x - y);
    // Redis' clock decides; ours sees each grant a round trip later, so windows are checked a little shorter.
    const checked = WINDOW - 30;
    let worst = 0;
    for (let i = 0; i < grants.length; i++) {
      let j = i;
      while (j < grants.length && grants[j]! - grants[i]! < checked) j++;
      worst = Math.max(worst, j - i);
    }
    assert.ok(worst <= LIMIT, `${worst} grants within ${checked} ms (ceiling ${LIMIT})`);
    assert.ok(grants.length >= LIMIT * 3, `the budget was used, not just refused: ${grants.length} grants`);
    const delayed = replicas.reduce((n, r) => n + r.limiter.stats().delayed, 0);
    assert.ok(delayed > 0, 'requests past the ceiling waited for room');
  });

  it('still honours this replica\'s own 429 Retry-After', async () => {
    const { limiter } = await replica(1000, 60_000);
    await limiter.acquire();
    limiter.throttled(400);
    const started = performance.now();
    await limiter.acquire();
    assert.ok(performance.now() - started >= 350, 'the local limiter held the request back');
  });

  it('lets requests through on the local limiter alone when Redis is down', async () => {
    const { limiter } = await replica(1, 60_000);
    await limiter.acquire(); // the fleet's one request of the minute
    await server.kill();
    try {
      const started = performance.now();
      for (let i = 0; i < 5; i++) await limiter.acquire();
      assert.ok(performance.now() - started < 2000, 'no wait on a Redis that cannot answer');
      assert.ok(limiter.stats().degraded >= 5);
    } finally {
      await server.restart();
    }
  });

  it('gives up waiting when the signal aborts', async () => {
    const { limiter } = await replica(1, 60_000);
    await limiter.acquire();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run cancelled')), 100);
    await assert.rejects(limiter.acquire(controller.signal), /run cancelled/);
  });
});
