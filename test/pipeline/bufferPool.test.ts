/**
 * The pool behind the processor's output buffers: exact sizes, memory handed
 * out again only after it came back, once, and bounded while idle.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BufferPool } from '../../src/pipeline/bufferPool';

describe('BufferPool', () => {
  it('hands out buffers of exactly the size asked', () => {
    const pool = new BufferPool();
    for (const size of [1, 4096, 40_000, 300_000, 1_048_577]) assert.equal(pool.acquire(size).length, size);
  });

  it('gives released memory to the next request of the same size class, and counts it', () => {
    const pool = new BufferPool();
    const first = pool.acquire(300_000);
    pool.release(first);
    const second = pool.acquire(280_000);
    assert.equal(second.buffer, first.buffer, 'the same memory again');
    assert.equal(second.length, 280_000);
    assert.deepEqual(pool.stats(), { reused: 1, allocated: 1, idleBytes: 0 });
  });

  it('never hands the same memory to two holders, even when released twice', () => {
    const pool = new BufferPool();
    const a = pool.acquire(300_000);
    pool.release(a);
    pool.release(a);
    const b = pool.acquire(300_000);
    const c = pool.acquire(300_000);
    assert.notEqual(b.buffer, c.buffer);
    assert.equal(pool.stats().allocated, 2);
  });

  it('ignores buffers it did not hand out', () => {
    const pool = new BufferPool();
    pool.release(Buffer.alloc(300_000));
    assert.equal(pool.stats().idleBytes, 0);
    assert.equal(pool.acquire(300_000).length, 300_000);
    assert.equal(pool.stats().reused, 0);
  });

  it('keeps at most maxPooledBytes idle and leaves the rest to the GC', () => {
    const pool = new BufferPool({ maxPooledBytes: 1024 * 1024 });
    const held = Array.from({ length: 5 }, () => pool.acquire(300_000)); // 512 KiB class each
    for (const b of held) pool.release(b);
    assert.equal(pool.stats().idleBytes, 1024 * 1024);
  });

  it('does not pool small buffers, nor ones above maxBufferBytes', () => {
    const pool = new BufferPool({ maxBufferBytes: 1024 * 1024 });
    for (const size of [20_000, 2_000_000]) {
      const b = pool.acquire(size);
      pool.release(b);
      assert.notEqual(pool.acquire(size).buffer, b.buffer, `${size} bytes`);
    }
    assert.deepEqual(pool.stats(), { reused: 0, allocated: 0, idleBytes: 0 });
  });

  it('refuses invalid options, naming them', () => {
    assert.throws(() => new BufferPool({ maxPooledBytes: -1 }), /maxPooledBytes/);
    assert.throws(() => new BufferPool({ maxBufferBytes: 1.5 }), /maxBufferBytes/);
  });
});
