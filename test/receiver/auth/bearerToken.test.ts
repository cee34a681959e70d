import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BearerTokenAuth } from '../../../src/receiver/auth/index';

describe('BearerTokenAuth', () => {
  const auth = new BearerTokenAuth('s3cret-token');

  it('accepts "Bearer <token>", the scheme in any case', () => {
    assert.equal(auth.verify('Bearer s3cret-token'), true);
    assert.equal(auth.verify('bearer s3cret-token'), true);
    assert.equal(auth.verify('BEARER  s3cret-token'), true);
  });

  it('refuses a missing, wrong, partial or differently-schemed credential', () => {
    for (const value of [undefined, '', 'Bearer', 'Bearer ', 'Bearer s3cret', 'Bearer s3cret-token2', 'Basic s3cret-token', 's3cret-token', 'Bearer S3CRET-TOKEN']) {
      assert.equal(auth.verify(value), false, String(value));
    }
  });

  it('refuses to be built with a token no header could carry, without echoing it', () => {
    assert.throws(() => new BearerTokenAuth(''), /non-empty/);
    assert.throws(() => new BearerTokenAuth('two words'), (err: Error) => !err.message.includes('two words'));
  });
});
