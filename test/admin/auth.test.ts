import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, timingSafeEqual } from 'node:crypto';
import { BearerAuth, tokenFingerprint } from '../../src/admin/auth';

const TOKEN = 's3cret-admin-token';

describe('bearer token check', () => {
  it('knows the caller by the first 12 hex digits of the token SHA-256', () => {
    const auth = new BearerAuth({ token: TOKEN });
    const expected = createHash('sha256').update(TOKEN).digest('hex').slice(0, 12);
    assert.equal(tokenFingerprint(TOKEN), expected);
    assert.deepEqual(auth.check(`Bearer ${TOKEN}`), { authenticated: true, who: expected });
  });

  it('calls no header anonymous and any wrong credential invalid', () => {
    const auth = new BearerAuth({ token: TOKEN });
    assert.deepEqual(auth.check(undefined), { authenticated: false, who: 'anonymous' });
    assert.deepEqual(auth.check(''), { authenticated: false, who: 'anonymous' });
    for (const h of [`Bearer ${TOKEN}x`, 'Bearer s', `Basic ${TOKEN}`, TOKEN, 'Bearer '])
      assert.deepEqual(auth.check(h), { authenticated: false, who: 'invalid' }, h);
  });

  it('compares in constant time over SHA-256 digests, so neither content nor length leaks', () => {
    const seen: [number, number][] = [];
    const auth = new BearerAuth({
      token: TOKEN,
      compare: (a, b) => {
        seen.push([a.length, b.length]);
        return timingSafeEqual(a, b);
      },
    });
    for (const h of [`Bearer ${TOKEN}`, 'Bearer x', `Bearer ${'y'.repeat(1000)}`, 'Digest abc']) auth.check(h);
    assert.deepEqual(seen, [[32, 32], [32, 32], [32, 32], [32, 32]], 'every presented credential is compared, always as two 32-byte digests');
  });

  it('refuses to be built without a token', () => {
    assert.throws(() => new BearerAuth({ token: '' }), /non-empty token/);
  });
});
