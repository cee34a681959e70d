import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryLimiter, containerMemoryLimitBytes } from '../../../src/receiver/limits/index';
import { silentLogger } from '../../../src/telemetry/logger';

const MIB = 1024 * 1024;

function limiter(options: { limitMiB?: number; spikeMiB?: number; gc?: () => void } = {}) {
  const memory = { used: 0 };
  const l = new MemoryLimiter({
    limitBytes: (options.limitMiB ?? 100) * MIB,
    spikeBytes: options.spikeMiB === undefined ? undefined : options.spikeMiB * MIB,
    readMemory: () => memory.used * MIB,
    collectGarbage: options.gc,
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
    assert.deepEqual(l.stats(), { refusing: false, usedBytes: 79.9 * MIB, softLimitBytes: 80 * MIB, limitBytes: 100 * MIB, episodes: 1 });
  });

  it('takes an explicit spike, and asks for a garbage collection at the hard limit', () => {
    let collections = 0;
    const { memory, limiter: l } = limiter({ limitMiB: 100, spikeMiB: 5, gc: () => collections++ });
    memory.used = 96;
    l.check();
    assert.equal(l.refusing(), true);
    assert.equal(collections, 0);
    memory.used = 100;
    l.check();
    assert.equal(collections, 1);
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
