import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { GC_SECONDS_BUCKETS, RuntimeMonitor } from '../../src/telemetry/runtimeMonitor';

v8.setFlagsFromString('--expose-gc');
/** A full (major) garbage collection on demand. */
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** Blocks the event loop for `ms`. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

const majorCount = (m: RuntimeMonitor) => m.gcPauses().find((g) => g.kind === 'major')!.pauses.count;

describe('RuntimeMonitor', () => {
  let monitor: RuntimeMonitor | undefined;
  afterEach(() => monitor?.stop());

  it('times each garbage collection under its kind, in seconds', async () => {
    monitor = new RuntimeMonitor();
    monitor.start();
    collectGarbage();
    collectGarbage();
    await sleep(50); // gc entries reach the observer asynchronously
    assert.deepEqual(monitor.gcPauses().map((g) => g.kind), ['minor', 'major', 'incremental', 'weakcb']);
    const major = monitor.gcPauses().find((g) => g.kind === 'major')!.pauses;
    assert.ok(major.count >= 2, `two forced collections counted, got ${major.count}`);
    assert.ok(major.sum > 0 && major.sum < 5, `pauses summed in seconds, got ${major.sum}`);
    assert.deepEqual(major.buckets.map((b) => b.le), [...GC_SECONDS_BUCKETS]);
  });

  it('reports how late the event loop ran since the previous read, then starts a new window', async () => {
    monitor = new RuntimeMonitor();
    monitor.start();
    await sleep(50);
    busy(120);
    await sleep(50);
    const blocked = monitor.takeEventLoopDelay();
    assert.ok(blocked, 'a window with samples');
    assert.ok(blocked.maxSeconds >= 0.08, `the 120 ms block shows as the longest delay, got ${blocked.maxSeconds}`);
    assert.ok(blocked.p50Seconds <= blocked.p99Seconds && blocked.p99Seconds <= blocked.maxSeconds);
    await sleep(150);
    const quiet = monitor.takeEventLoopDelay();
    assert.ok(quiet, 'the next window has samples of its own');
    assert.ok(quiet.maxSeconds < 0.08, `the block is not reported twice, got ${quiet.maxSeconds}`);
  });

  it('reports nothing before start, and stops counting after stop', async () => {
    monitor = new RuntimeMonitor();
    assert.equal(monitor.takeEventLoopDelay(), undefined);
    monitor.start();
    collectGarbage();
    await sleep(50);
    const counted = majorCount(monitor);
    monitor.stop();
    collectGarbage();
    await sleep(50);
    assert.equal(majorCount(monitor), counted);
    monitor.stop(); // twice is fine
  });
});
