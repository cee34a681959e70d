import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryLimiter, containerMemoryLimitBytes } from '../../../src/receiver/limits/index';
import { silentLogger } from '../../../src/telemetry/logger';

const MIB = 1024 * 1024;

function limiter(options: { limitMiB?: number; spikeMiB?: number; rssLimitMiB?: number; gc?: () => void } = {}) {
  const memory = { used: 0, rss: 0 };
  const l = new MemoryLimiter({
    limitBytes: (options.limitMiB ?? 100) * MIB,
    spikeBytes: options.spikeMiB === undefined ? undefined : options.spikeMiB * MIB,
    rssLimitBytes: options.rssLimitMiB === undefined ? undefined : options.rssLimitMiB * MIB,
    readMemory: () => memory.used * MIB,
    readRss: () => memory.rss * MIB,
    collectGarbage: options.gc ?? (() => undefined),
    retryAfterMs: 1500,
    logger: silentLogger(),
  });
  return { memory, limiter: l };
}

describe('MemoryLimiter', () => {
  it('refuses from the soft limit (limit minus spike, 20% by default) until a reading falls below it', () => {
    const { memory, limiter: l } = limiter({ limitMiB: 100 });
    memory.used = 79;
    l.check();
    assert.equal(l.refusal(), undefined);

    memory.used = 80;
    l.check();
    const refusal = l.refusal();
    assert.equal(refusal?.code, 'resource_exhausted');
    assert.equal(refusal?.retryable, true);
    assert.equal(refusal?.retryAfterMs, 1500);
    assert.match(refusal!.message, /memory limit reached \(80 MiB in use, soft limit 80 MiB\)/);
    assert.equal(l.refusing(), true);

    memory.used = 79.9;
    l.check();
    assert.equal(l.refusal(), undefined);
    assert.deepEqual(l.stats(), {
      refusing: false,
      usedBytes: 79.9 * MIB,
      rssBytes: 0,
      incomingBytes: 0,
      softLimitBytes: 80 * MIB,
      limitBytes: 100 * MIB,
      rssLimitBytes: 0,
      episodes: 1,
    });
  });

  it('takes an explicit spike; collects garbage above the soft limit at most every 10 s, and at every check from the hard limit', () => {
    let collections = 0;
    const { memory, limiter: l } = limiter({ limitMiB: 100, spikeMiB: 5, gc: () => collections++ });
    memory.used = 94;
    l.check();
    assert.equal(collections, 0, 'below the soft limit nothing is collected');
    memory.used = 96;
    l.check();
    assert.equal(l.refusing(), true);
    assert.equal(collections, 1);
    l.check();
    assert.equal(collections, 1, 'not again within 10 s while only above the soft limit');
    memory.used = 100;
    l.check();
    l.check();
    assert.equal(collections, 3, 'at the hard limit on every check');
  });

  it('tells its listeners on every check that still finds memory at the hard limit after collecting', () => {
    const { memory, limiter: l } = limiter({ limitMiB: 100 });
    let calls = 0;
    l.whenAtHardLimit(() => calls++);
    memory.used = 99;
    l.check();
    assert.equal(calls, 0, 'between the soft and the hard limit: refusing new requests is enough');
    memory.used = 100;
    l.check();
    l.check();
    assert.equal(calls, 2);
  });

  it('reads again after collecting: memory released by requests that went away ends the refusal at once', () => {
    const { memory, limiter: l } = limiter({ limitMiB: 100, gc: () => (memory.used = 30) });
    memory.used = 120;
    l.check();
    assert.equal(l.refusing(), false, 'the collection gave the memory back before the decision');
  });

  it('decides on reclaimable memory, not RSS: a resident set the allocator keeps after a burst does not refuse', () => {
    const { memory, limiter: l } = limiter({ limitMiB: 100 });
    memory.used = 10;
    memory.rss = 1100;
    l.check();
    assert.equal(l.refusal(), undefined);
  });

  it('refuses at the RSS backstop whatever the heap says, and admits again once RSS falls below it', () => {
    const { memory, limiter: l } = limiter({ limitMiB: 100, rssLimitMiB: 950 });
    memory.used = 10;
    memory.rss = 950;
    l.check();
    assert.equal(l.refusal()?.code, 'resource_exhausted');
    memory.rss = 900;
    l.check();
    assert.equal(l.refusal(), undefined);
    assert.equal(l.stats().episodes, 1);
  });

  it('counts request bytes as they arrive: new requests are refused from the soft limit, the upload itself at the hard limit', () => {
    const { memory, limiter: l } = limiter({ limitMiB: 100 });
    memory.used = 50;
    l.check();
    assert.equal(l.chargeIncoming(25 * MIB), undefined);
    assert.equal(l.refusal(), undefined, '75 MiB: below the soft limit');
    assert.equal(l.chargeIncoming(5 * MIB), undefined);
    assert.equal(l.refusal()?.code, 'resource_exhausted', '80 MiB: new requests wait');
    assert.equal(l.chargeIncoming(20 * MIB)?.code, 'resource_exhausted', '100 MiB: the upload is cancelled');
    l.releaseIncoming(50 * MIB);
    assert.equal(l.refusal(), undefined, 'released bytes count no more');
    assert.equal(l.stats().incomingBytes, 0);
  });

  it('does not count twice the bytes a reading already saw', () => {
    const { memory, limiter: l } = limiter({ limitMiB: 100 });
    memory.used = 50;
    l.check();
    l.chargeIncoming(25 * MIB);
    memory.used = 75; // the reading now includes the 25 MiB received
    l.check();
    assert.equal(l.refusal(), undefined);
    assert.equal(l.chargeIncoming(4 * MIB), undefined);
    assert.equal(l.refusal(), undefined, '79 MiB, not 104');
  });

  it('reads memory on start and on its interval, and stops refusing once shut down', async () => {
    const { memory, limiter: l } = limiter();
    memory.used = 99;
    await l.start();
    assert.equal(l.refusing(), true, 'the first reading is taken at start');
    await l.shutdown();
    await l.shutdown();
    assert.equal(l.refusing(), false);
  });

  it('rejects bad options, naming each', () => {
    assert.throws(() => new MemoryLimiter({ limitBytes: 0, logger: silentLogger() }), /limitBytes/);
    assert.throws(() => new MemoryLimiter({ limitBytes: MIB, spikeBytes: MIB, logger: silentLogger() }), /spikeBytes/);
    assert.throws(() => new MemoryLimiter({ limitBytes: MIB, checkIntervalMs: 0, logger: silentLogger() }), /checkIntervalMs/);
    assert.throws(() => new MemoryLimiter({ limitBytes: MIB, rssLimitBytes: -1, logger: silentLogger() }), /rssLimitBytes/);
  });
});

describe('containerMemoryLimitBytes', () => {
  it('is 80% of a container limit, and off when the process is not constrained below the machine', () => {
    assert.equal(containerMemoryLimitBytes(1000 * MIB, 8000 * MIB), 800 * MIB);
    assert.equal(containerMemoryLimitBytes(2 ** 64, 8000 * MIB), undefined, 'cgroup "max"');
    assert.equal(containerMemoryLimitBytes(0, 8000 * MIB), undefined);
    assert.equal(containerMemoryLimitBytes(undefined, 8000 * MIB), undefined);
  });
});
