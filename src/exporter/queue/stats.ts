/**
 * Counters of the sending queue, for the service's metrics. Gauges describe
 * now; every other field counts since start. Spans are counted as upstream
 * reported them in `TraceBatch.spanCount`.
 */
export interface QueueStats {
  /** Batches held: waiting, being sent, or waiting to retry (gauge). */
  readonly queuedBatches: number;
  /** Spans held (gauge). */
  readonly queuedSpans: number;
  /** Request bytes held (gauge). */
  readonly queuedBytes: number;
  /** Batches being sent or waiting to retry (gauge). */
  readonly inFlightBatches: number;
  /** Batches the downstream accepted. */
  readonly sentBatches: number;
  readonly sentSpans: number;
  readonly sentBytes: number;
  /** Send attempts that failed, retryable or not. */
  readonly failedAttempts: number;
  /** Retries scheduled after a retryable failure. */
  readonly retries: number;
  /** Batches given up: permanent failure, retry budget spent, or left at shutdown. */
  readonly droppedBatches: number;
  readonly droppedSpans: number;
  /** Batches refused at the door (queue full, not started, shutting down); the sender was told to retry. */
  readonly refusedBatches: number;
  readonly refusedSpans: number;
  /** Spans the downstream refused inside an accepted batch (OTLP partial success). */
  readonly rejectedSpans: number;
  /** Batches whose acceptance waited for a sender to take them (backpressure). */
  readonly backpressuredBatches: number;
  /** Of those, acceptances that stopped waiting after `backpressureMs`: the backend was slower than that. */
  readonly backpressureTimeouts: number;
  /** Batches held for Genesys look-ups (TraceBatch.pending), part of queuedBatches (gauge). */
  readonly heldBatches: number;
  /** Their spans and bytes, part of queuedSpans and queuedBytes (gauges). */
  readonly heldSpans: number;
  readonly heldBytes: number;
  /** Held batches released early, with what was known, to keep the hold within its bounds. */
  readonly holdOverflows: number;
  /** Counters of the persistent queue; absent with the in-memory queue. */
  readonly persistent?: PersistentQueueStats;
}

/** The mutable counters behind {@link QueueStats}; gauges are filled in by the queue. */
export type QueueCounters = {
  -readonly [K in Exclude<keyof QueueStats, 'queuedBatches' | 'queuedSpans' | 'queuedBytes' | 'inFlightBatches' | 'persistent' | 'heldBatches' | 'heldSpans' | 'heldBytes'>]: number;
};

export function newQueueCounters(): QueueCounters {
  return {
    sentBatches: 0,
    sentSpans: 0,
    sentBytes: 0,
    failedAttempts: 0,
    retries: 0,
    droppedBatches: 0,
    droppedSpans: 0,
    refusedBatches: 0,
    refusedSpans: 0,
    rejectedSpans: 0,
    backpressuredBatches: 0,
    backpressureTimeouts: 0,
    holdOverflows: 0,
  };
}

/**
 * Counters of the persistent queue (`QueueStats.persistent`, present only when
 * ENRICHER_EXPORT_QUEUE_DIR is set). Gauges describe now; the rest count since start.
 */
export interface PersistentQueueStats {
  /** Batches written to disk and synced before their request was acknowledged. */
  readonly persistedBatches: number;
  readonly persistedSpans: number;
  /** Bytes written, record headers included. */
  readonly persistedBytes: number;
  /** fdatasync calls; persistedBatches / syncs is how many requests shared one (group commit). */
  readonly syncs: number;
  /** Writes that failed; their requests were refused with a retryable status. */
  readonly writeFailures: number;
  /** Batches found undelivered at start and queued again (duplicates of sends cut off by a crash are possible). */
  readonly replayedBatches: number;
  readonly replayedSpans: number;
  /** Records skipped at start because their checksum did not match: their spans are lost. */
  readonly corruptedRecords: number;
  /** Bytes of torn last writes cut off at start (never acknowledged to a client). */
  readonly truncatedBytes: number;
  /** Segment files on disk (gauge). */
  readonly segments: number;
  /** Bytes of segment files on disk (gauge); at most the queue's byte bound plus partly delivered segments. */
  readonly diskBytes: number;
}
