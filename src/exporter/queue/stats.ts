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
}

/** The mutable counters behind {@link QueueStats}; gauges are filled in by the queue. */
export type QueueCounters = {
  -readonly [K in Exclude<keyof QueueStats, 'queuedBatches' | 'queuedSpans' | 'queuedBytes' | 'inFlightBatches'>]: number;
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
  };
}
