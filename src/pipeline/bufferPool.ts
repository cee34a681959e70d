/**
 * Reuses the memory of the processor's output buffers. An enriched request
 * is written into a new buffer about as large as the request (300 KB for a
 * 512-span batch); allocating one per request doubles the rate at which the
 * process allocates memory outside the V8 heap, and V8 answers external
 * memory growth with mark-compact collections (pauses of 10 ms and more).
 * With the pool, a buffer goes back once its batch has been sent or dropped
 * and the next request of about that size is written into it.
 *
 * Buffers are pooled by size class (powers of two from 64 KiB up to
 * `maxBufferBytes`); the pool keeps at most `maxPooledBytes` idle. Larger
 * requests, and requests arriving when the pool is empty, get fresh memory.
 *
 * Ownership rule: `release` is called exactly once, by the stage that last
 * holds the batch, after which nobody reads the bytes (see TraceBatch.release).
 */
export interface BufferPoolOptions {
  /** Most bytes kept idle in the pool. Default 32 MiB. */
  readonly maxPooledBytes?: number;
  /** Largest buffer pooled; larger ones are allocated and left to the GC. Default 16 MiB. */
  readonly maxBufferBytes?: number;
}

export interface BufferPoolStats {
  /** Buffers handed out from the pool. */
  readonly reused: number;
  /** Buffers handed out from fresh memory. */
  readonly allocated: number;
  /** Bytes idle in the pool now. */
  readonly idleBytes: number;
}

const MIN_CLASS_BYTES = 64 * 1024;

export class BufferPool {
  readonly #maxPooledBytes: number;
  readonly #maxBufferBytes: number;
  /** Idle ArrayBuffers per size class (index: log2 of the class size). */
  readonly #idle: ArrayBuffer[][] = [];
  /** Buffers handed out, so a release of anything else (or a second release) is ignored. */
  readonly #out = new WeakSet<ArrayBuffer>();
  #idleBytes = 0;
  #reused = 0;
  #allocated = 0;

  constructor(options: BufferPoolOptions = {}) {
    this.#maxPooledBytes = options.maxPooledBytes ?? 32 * 1024 * 1024;
    this.#maxBufferBytes = options.maxBufferBytes ?? 16 * 1024 * 1024;
    if (!Number.isSafeInteger(this.#maxPooledBytes) || this.#maxPooledBytes < 0) throw new RangeError(`BufferPool: maxPooledBytes must be an integer >= 0, got ${this.#maxPooledBytes}`);
    if (!Number.isSafeInteger(this.#maxBufferBytes) || this.#maxBufferBytes < 0) throw new RangeError(`BufferPool: maxBufferBytes must be an integer >= 0, got ${this.#maxBufferBytes}`);
  }

  /** A Buffer of exactly `size` bytes, uninitialised (the caller writes every byte). */
  acquire(size: number): Buffer {
    if (size > this.#maxBufferBytes || size < MIN_CLASS_BYTES / 2) return Buffer.allocUnsafe(size);
    const cls = classOf(size);
    const idle = this.#idle[cls]?.pop();
    let memory: ArrayBuffer;
    if (idle) {
      this.#idleBytes -= idle.byteLength;
      this.#reused++;
      memory = idle;
    } else {
      this.#allocated++;
      memory = new ArrayBuffer(2 ** cls);
    }
    this.#out.add(memory);
    return Buffer.from(memory, 0, size);
  }

  /** Takes back a buffer `acquire` returned. Anything else, or a second release, is ignored. */
  release(buffer: Buffer): void {
    const memory = buffer.buffer;
    if (!(memory instanceof ArrayBuffer) || !this.#out.delete(memory)) return;
    if (this.#idleBytes + memory.byteLength > this.#maxPooledBytes) return; // left to the GC
    (this.#idle[Math.log2(memory.byteLength)] ??= []).push(memory);
    this.#idleBytes += memory.byteLength;
  }

  stats(): BufferPoolStats {
    return { reused: this.#reused, allocated: this.#allocated, idleBytes: this.#idleBytes };
  }
}

/** log2 of the smallest power of two >= size, at least MIN_CLASS_BYTES. */
function classOf(size: number): number {
  return Math.max(16, Math.ceil(Math.log2(size)));
}
