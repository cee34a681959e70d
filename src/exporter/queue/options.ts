import type { Logger } from '../../telemetry/logger';
import type { BackoffPolicy } from './backoff';
import type { QueueStore } from './store';
import type { BatchSender } from './types';
import type { TraceBatch } from '../../pipeline/consumer';

/** Retry of one batch after retryable failures. */
export interface RetryOptions {
  /** Upper bound of the first backoff delay, ms. Default 1000. */
  readonly initialIntervalMs?: number;
  /** Largest backoff upper bound, ms. Default 30,000. */
  readonly maxIntervalMs?: number;
  /** Growth of the bound per retry. Default 1.5 (as the Collector). */
  readonly multiplier?: number;
  /**
   * Time from a batch's first attempt after which it is dropped instead of
   * retried, ms. 0 drops on the first failure; Infinity retries until shutdown. Default 300,000.
   */
  readonly maxElapsedMs?: number;
}

/** Options of {@link QueuedExporter}. */
export interface QueuedExporterOptions {
  /** Sends one batch; started and shut down with the queue. */
  readonly sender: BatchSender;
  readonly logger: Logger;
  /**
   * Most spans held (queued, being sent or waiting to retry). Counts the batch's
   * `spanCount`, so it is only as good as the count upstream supplied. Default 1,000,000.
   */
  readonly maxQueueSpans?: number;
  /** Most request bytes held, same accounting; the memory bound. Default 256 MiB. */
  readonly maxQueueBytes?: number;
  /** Batches sent at the same time; a batch waiting to retry keeps its slot. Default 4. */
  readonly concurrency?: number;
  /**
   * Backpressure, ms: while the backend keeps up (no send attempt failed since the
   * last success), a batch that has to wait behind others is queued at once but
   * `consumeTraces` resolves only once the queue has drained (every waiting batch
   * taken by an export call, like a Node stream's 'drain'), or after this long,
   * whichever comes first. Senders that outrun the backend are slowed down to its
   * pace instead of filling the queue until it refuses them; when the backend
   * fails or stalls, the queue buffers as without it. 0: resolve once queued. Default 0.
   */
  readonly backpressureMs?: number;
  readonly retry?: RetryOptions;
  /** Back-off hint given to the sender of a batch refused because the queue is full, ms. Default 1000. */
  readonly fullRetryAfterMs?: number;
  /** Default grace period of `shutdown()` for draining, ms. Default 10,000. */
  readonly shutdownGraceMs?: number;
  /** Source of jitter in [0, 1). Default Math.random; tests pin it. */
  readonly random?: () => number;
  /**
   * Where accepted batches are kept until sent or dropped. Default in memory;
   * a `DiskQueueStore` makes the queue persistent: a batch is on disk before
   * `consumeTraces` resolves, and what was not delivered is sent after a restart.
   * The span and byte bounds apply alike. Opened by `start()`, closed by shutdown.
   */
  readonly store?: QueueStore;
  /**
   * Most spans of held batches (TraceBatch.pending: waiting for Genesys look-ups),
   * part of `maxQueueSpans`. A held batch that would go past it releases the
   * oldest held batches first, finished with what is known. Default half of `maxQueueSpans`.
   */
  readonly maxHeldSpans?: number;
  /** Most bytes of held batches, part of `maxQueueBytes`, same rule. Default half of `maxQueueBytes`. */
  readonly maxHeldBytes?: number;
  /**
   * Turns a batch that was held when the process stopped (read back unfinished
   * from a persistent store) into the batch to queue now: finished, or held
   * again. Default: sent as it was stored, unenriched.
   */
  readonly resumeHeld?: (bytes: Buffer) => TraceBatch;
}

export interface ResolvedQueueOptions {
  readonly maxQueueSpans: number;
  readonly maxQueueBytes: number;
  readonly concurrency: number;
  readonly backoff: BackoffPolicy;
  readonly maxElapsedMs: number;
  readonly fullRetryAfterMs: number;
  readonly shutdownGraceMs: number;
  readonly backpressureMs: number;
  readonly maxHeldSpans: number;
  readonly maxHeldBytes: number;
  readonly resumeHeld: ((bytes: Buffer) => TraceBatch) | undefined;
  readonly random: () => number;
}

/** Defaults of the optional queue options (spans, bytes, ms). */
export const QUEUE_DEFAULTS = Object.freeze({
  maxQueueSpans: 1_000_000,
  maxQueueBytes: 256 * 1024 * 1024,
  concurrency: 4,
  initialIntervalMs: 1_000,
  maxIntervalMs: 30_000,
  multiplier: 1.5,
  maxElapsedMs: 300_000,
  fullRetryAfterMs: 1_000,
  shutdownGraceMs: 10_000,
  backpressureMs: 0,
});

/** Applies defaults and rejects bad options, naming every problem at once. */
export function resolveQueueOptions(o: QueuedExporterOptions): ResolvedQueueOptions {
  const d = QUEUE_DEFAULTS;
  const r = o.retry ?? {};
  const resolved: ResolvedQueueOptions = {
    maxQueueSpans: o.maxQueueSpans ?? d.maxQueueSpans,
    maxQueueBytes: o.maxQueueBytes ?? d.maxQueueBytes,
    concurrency: o.concurrency ?? d.concurrency,
    backoff: {
      initialIntervalMs: r.initialIntervalMs ?? d.initialIntervalMs,
      maxIntervalMs: r.maxIntervalMs ?? d.maxIntervalMs,
      multiplier: r.multiplier ?? d.multiplier,
    },
    maxElapsedMs: r.maxElapsedMs ?? d.maxElapsedMs,
    fullRetryAfterMs: o.fullRetryAfterMs ?? d.fullRetryAfterMs,
    shutdownGraceMs: o.shutdownGraceMs ?? d.shutdownGraceMs,
    backpressureMs: o.backpressureMs ?? d.backpressureMs,
    maxHeldSpans: o.maxHeldSpans ?? Math.max(1, Math.floor((o.maxQueueSpans ?? d.maxQueueSpans) / 2)),
    maxHeldBytes: o.maxHeldBytes ?? Math.max(1, Math.floor((o.maxQueueBytes ?? d.maxQueueBytes) / 2)),
    resumeHeld: o.resumeHeld,
    random: o.random ?? Math.random,
  };
  const problems: string[] = [];
  const positiveInt = (name: string, v: number) => {
    if (!Number.isSafeInteger(v) || v <= 0) problems.push(`${name} must be a positive integer, got ${v}`);
  };
  const nonNegative = (name: string, v: number) => {
    if (Number.isNaN(v) || v < 0) problems.push(`${name} must be >= 0, got ${v}`);
  };
  positiveInt('maxQueueSpans', resolved.maxQueueSpans);
  positiveInt('maxQueueBytes', resolved.maxQueueBytes);
  positiveInt('concurrency', resolved.concurrency);
  positiveInt('maxHeldSpans', resolved.maxHeldSpans);
  positiveInt('maxHeldBytes', resolved.maxHeldBytes);
  if (resolved.maxHeldSpans > resolved.maxQueueSpans) problems.push(`maxHeldSpans (${resolved.maxHeldSpans}) must be <= maxQueueSpans (${resolved.maxQueueSpans})`);
  if (resolved.maxHeldBytes > resolved.maxQueueBytes) problems.push(`maxHeldBytes (${resolved.maxHeldBytes}) must be <= maxQueueBytes (${resolved.maxQueueBytes})`);
  if (o.resumeHeld !== undefined && typeof o.resumeHeld !== 'function') problems.push('resumeHeld must be a function');
  nonNegative('retry.initialIntervalMs', resolved.backoff.initialIntervalMs);
  nonNegative('retry.maxIntervalMs', resolved.backoff.maxIntervalMs);
  nonNegative('retry.maxElapsedMs', resolved.maxElapsedMs);
  nonNegative('fullRetryAfterMs', resolved.fullRetryAfterMs);
  nonNegative('shutdownGraceMs', resolved.shutdownGraceMs);
  nonNegative('backpressureMs', resolved.backpressureMs);
  if (!(resolved.backoff.multiplier >= 1)) problems.push(`retry.multiplier must be >= 1, got ${resolved.backoff.multiplier}`);
  if (resolved.backoff.maxIntervalMs < resolved.backoff.initialIntervalMs) {
    problems.push('retry.maxIntervalMs must be >= retry.initialIntervalMs');
  }
  if (typeof o.sender?.send !== 'function') problems.push('sender must be a BatchSender');
  if (o.store !== undefined && typeof o.store.append !== 'function') problems.push('store must be a QueueStore');
  if (problems.length > 0) throw new Error(`QueuedExporter: invalid options: ${problems.join('; ')}`);
  return Object.freeze(resolved);
}
