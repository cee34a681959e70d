import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthThrottle, clientKey } from '../../src/admin/authThrottle';

describe('AuthThrottle', () => {
  function throttle(burst = 3, refillMs = 6_000) {
    let now = 1_000_000;
    const t = new AuthThrottle({ burst, refillMs, now: () => now });
    return { t, advance: (ms: number) => (now += ms) };
  }

  it('lets a client fail `burst` times, then asks it to wait until one more failure is allowed', () => {
    const { t, advance } = throttle();
    for (let i = 0; i < 3; i++) {
      assert.equal(t.retryAfterSeconds('10.0.0.1'), undefined);
      t.failed('10.0.0.1');
    }
    assert.equal(t.retryAfterSeconds('10.0.0.1'), 6);
    advance(4_500);
    assert.equal(t.retryAfterSeconds('10.0.0.1'), 2, 'rounded up to whole seconds');
    advance(1_500);
    assert.equal(t.retryAfterSeconds('10.0.0.1'), undefined, 'one failure allowed per refill period');
    t.failed('10.0.0.1');
    assert.equal(t.retryAfterSeconds('10.0.0.1'), 6);
  });

  it('counts each client apart, an IPv4-mapped address as its IPv4, and IPv6 clients by their /64', () => {
    const { t } = throttle(1);
    t.failed('10.0.0.1');
    assert.equal(t.retryAfterSeconds('10.0.0.2'), undefined);
    assert.equal(t.retryAfterSeconds('::ffff:10.0.0.1'), 6);
    t.failed('2001:db8:1:2::1');
    assert.equal(t.retryAfterSeconds('2001:db8:1:2:ffff::9'), 6, 'same /64');
    assert.equal(t.retryAfterSeconds('2001:db8:1:3::1'), undefined, 'another /64');
    assert.equal(clientKey('2001:0db8:0001:0002:0:0:0:1'), '2001:db8:1:2::/64');
    assert.equal(clientKey('::1'), '0:0:0:0::/64');
  });

  it('forgets the least recently seen clients beyond maxClients, and refuses bad options', () => {
    let now = 0;
    const t = new AuthThrottle({ burst: 1, maxClients: 2, now: () => now });
    t.failed('10.0.0.1');
    t.failed('10.0.0.2');
    t.failed('10.0.0.3');
    assert.equal(t.retryAfterSeconds('10.0.0.1'), undefined, 'forgotten');
    assert.equal(t.retryAfterSeconds('10.0.0.3'), 6);
    assert.throws(() => new AuthThrottle({ burst: 0 }), /burst must be a positive integer, got 0/);
  });
});
