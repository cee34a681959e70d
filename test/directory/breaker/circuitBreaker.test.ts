import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitBreaker } from '../../../src/directory/breaker/index';

function fakeClock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** Makes one call through the breaker that ends as `succeeded`; returns whether the breaker let it through. */
function call(breaker: CircuitBreaker, succeeded: boolean): boolean {
  const ticket = breaker.tryAcquire();
  if (ticket) breaker.record(ticket, succeeded);
  return ticket !== undefined;
}

describe('CircuitBreaker', () => {
  it('opens after failureThreshold consecutive failures; a success in between starts the count again', () => {
    const clock = fakeClock();
    const changes: string[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: clock.now, onChange: (s) => changes.push(s) });
    call(breaker, false);
    call(breaker, false);
    call(breaker, true);
    call(breaker, false);
    call(breaker, false);
    assert.equal(breaker.state(), 'closed');
    call(breaker, false);
    assert.equal(breaker.state(), 'open');
    assert.deepEqual(changes, ['open']);
    assert.equal(breaker.admitsCalls(), false);
    assert.equal(breaker.tryAcquire(), undefined, 'open: calls refused');
  });

  it('turns half-open after the cool-down and lets exactly one probe through; success closes it', () => {
    const clock = fakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1000, now: clock.now });
    call(breaker, false);
    clock.advance(999);
    assert.equal(breaker.state(), 'open');
    clock.advance(1);
    assert.equal(breaker.state(), 'half_open');
    assert.equal(breaker.admitsCalls(), true);

    const probe = breaker.tryAcquire();
    assert.ok(probe?.probe);
    assert.equal(breaker.tryAcquire(), undefined, 'a second call waits for the probe');
    assert.equal(breaker.admitsCalls(), false);
    breaker.record(probe, true);

    assert.equal(breaker.state(), 'closed');
    assert.deepEqual(breaker.stats(), { state: 'closed', opened: 1, probes: 1, shortCircuited: 0 });
  });

  it('reopens for another cool-down when the probe fails', () => {
    const clock = fakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1000, now: clock.now });
    call(breaker, false);
    clock.advance(1000);
    assert.equal(call(breaker, false), true, 'the probe went');
    assert.equal(breaker.state(), 'open');
    clock.advance(999);
    assert.equal(breaker.state(), 'open', 'a full cool-down again');
    clock.advance(1);
    assert.equal(breaker.state(), 'half_open');
    assert.equal(breaker.stats().opened, 2);
  });

  it('ignores the outcome of calls admitted before the last state change', () => {
    const clock = fakeClock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000, now: clock.now });
    const slow = breaker.tryAcquire()!;
    call(breaker, false);
    call(breaker, false);
    assert.equal(breaker.state(), 'open');
    breaker.record(slow, true);
    assert.equal(breaker.state(), 'open', 'a slow success from before does not close it');

    clock.advance(1000);
    const probe = breaker.tryAcquire()!;
    breaker.record(probe, true);
    const old = slow; // still from the first generation
    breaker.record(old, false);
    breaker.record(old, false);
    assert.equal(breaker.state(), 'closed', 'stale failures do not reopen it');
  });

  it('never opens with failureThreshold 0', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 0 });
    for (let i = 0; i < 100; i++) call(breaker, false);
    assert.equal(breaker.state(), 'closed');
  });

  it('counts the look-ups its callers refused, and rejects bad options naming them', () => {
    const breaker = new CircuitBreaker();
    breaker.countShortCircuited(3);
    breaker.countShortCircuited();
    assert.equal(breaker.stats().shortCircuited, 4);
    assert.throws(() => new CircuitBreaker({ failureThreshold: -1 }), /failureThreshold/);
    assert.throws(() => new CircuitBreaker({ cooldownMs: 0 }), /cooldownMs/);
  });
});
