import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestRateLimiter, type RequestLimiter } from '../../../src/directory/genesys/rateLimiter';
import { clientFor, withSim } from '../support/directoryFixtures';

/** A clock that only moves when the limiter sleeps: no real time passes in these specs. */
function fakeTime(start = 0) {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      t += ms;
    },
  };
}

/** The most grants inside any window of `windowMs` (grant times sorted). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('RequestRateLimiter', () => {
  it('lets a burst through at once, then one request per 60000/ratePerMinute ms', async () => {
    const time = fakeTime();
    const limiter = new RequestRateLimiter({ ratePerMinute: 240, burst: 4, ...time });
    const granted: number[] = [];
    for (let i = 0; i < 8; i++) {
      await limiter.acquire();
      granted.push(time.now());
    }
    assert.deepEqual(granted, [0, 0, 0, 0, 250, 500, 750, 1000]);
    assert.deepEqual(limiter.stats(), { granted: 8, delayed: 4, waitedMs: 1000, throttled: 0 });
  });

  it('keeps a long burst under the configured rate: no 60 s window holds more than ratePerMinute + burst', async () => {
    const time = fakeTime();
    const limiter = new RequestRateLimiter({ ratePerMinute: 240, ...time });
    const granted: number[] = [];
    await Promise.all(Array.from({ length: 1000 }, () => limiter.acquire().then(() => granted.push(time.now()))));
    assert.equal(granted.length, 1000);
    assert.ok(busiestWindow(granted, 60_000) <= 240 + 4, `busiest minute: ${busiestWindow(granted, 60_000)}`);
    assert.ok(busiestWindow(granted, 60_000) < 300, 'under Genesys’ 300 per minute');
    assert.equal(time.now(), (1000 - 4) * 250, 'the burst took as long as the rate demands: 250 ms a request after the first 4');
  });

  it('serves waiters first come, first served', async () => {
    const limiter = new RequestRateLimiter({ ratePerMinute: 60, burst: 1, ...fakeTime() });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire().then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
  });

  it('an aborted waiter rejects with the reason and does not hold up those behind it', async () => {
    const limiter = new RequestRateLimiter({ ratePerMinute: 60, burst: 1, ...fakeTime() });
    await limiter.acquire();
    const reason = new Error('caller gave up');
    const aborted = limiter.acquire(AbortSignal.abort(reason));
    const next = limiter.acquire();
    await assert.rejects(aborted, (err) => err === reason);
    await next;
    assert.equal(limiter.stats().granted, 2);
  });

  it('after a 429, holds every request back for the Retry-After', async () => {
    const time = fakeTime();
    const limiter = new RequestRateLimiter({ ratePerMinute: 6000, ...time });
    await limiter.acquire();
    limiter.throttled(5_000);
    await limiter.acquire();
    assert.equal(time.now(), 5_000);
    assert.equal(limiter.stats().throttled, 1);
  });

  it('rejects bad options at construction, naming them', () => {
    assert.throws(() => new RequestRateLimiter({} as never), /RequestRateLimiter: option "ratePerMinute" is required/);
    assert.throws(() => new RequestRateLimiter({ ratePerMinute: 0 }), /"ratePerMinute" must be >= 1/);
    assert.throws(() => new RequestRateLimiter({ ratePerMinute: 60, burst: 1.5 }), /"burst" must be an integer/);
  });
});

describe('GenesysClient with a rate limiter', () => {
  it('asks it before every API request (retries included, token requests not) and tells it about 429s', () =>
    withSim(async (sim) => {
      const asked: string[] = [];
      const throttled: number[] = [];
      const spy: RequestLimiter = {
        acquire: async () => void asked.push('acquire'),
        throttled: (ms) => void throttled.push(ms),
      };
      const client = clientFor(sim, { rateLimiter: spy });
      try {
        sim.faults.rateLimitBurst = { count: 1, retryAfterSeconds: 0 };
        await client.call('getUser', (apis) => apis.users.getUser(sim.org.active[0]!));
        await client.call('getUser', (apis) => apis.users.getUser(sim.org.active[1]!));
        const apiRequests = sim.stats().total - (sim.stats().byRoute['POST /oauth/token'] ?? 0);
        assert.equal(apiRequests, 3);
        assert.equal(asked.length, 3);
        assert.deepEqual(throttled, [0]);
      } finally {
        client.close();
      }
    }));

  it('rejects a rateLimiter without acquire()', () => {
    assert.throws(() => clientFor({ clientId: 'i', clientSecret: 's', url: 'http://127.0.0.1:1' } as never, { rateLimiter: {} as never }), /"rateLimiter" must have an acquire\(\) method/);
  });
});
