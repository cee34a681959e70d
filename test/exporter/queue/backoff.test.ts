import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelayMs } from '../../../src/exporter/queue/backoff';

const policy = { initialIntervalMs: 1_000, maxIntervalMs: 30_000, multiplier: 2 };
const almostOne = () => 0.999_999;

describe('backoffDelayMs (exponential, full jitter)', () => {
  it('grows the ceiling by the multiplier per retry', () => {
    assert.deepEqual([0, 1, 2, 3].map((retry) => backoffDelayMs(policy, retry, almostOne)), [999, 1999, 3999, 7999]);
  });

  it('never exceeds the largest interval', () => {
    assert.equal(backoffDelayMs(policy, 50, almostOne), 29_999);
  });

  it('draws uniformly below the ceiling', () => {
    assert.equal(backoffDelayMs(policy, 2, () => 0), 0);
    assert.equal(backoffDelayMs(policy, 2, () => 0.5), 2_000);
  });
});
