import type { Lifecycle, TraceBatch } from '../../pipeline/consumer';

/**
 * Outcome of one attempt to send a batch, returned rather than thrown (the
 * opentelemetry-js `ExportResult` habit): expected failures are data.
 */
export type SendResult =
  | {
      readonly status: 'success';
      /** Spans the receiving side refused in a partial success; they must not be retried. */
      readonly rejectedSpans?: number;
      /** The receiving side's explanation of a partial success. */
      readonly message?: string;
    }
  | {
      readonly status: 'retryable';
      readonly reason: string;
      /** The receiving side's requested delay (RetryInfo), ms; the backoff waits at least this long. */
      readonly retryAfterMs?: number;
    }
  | { readonly status: 'failure'; readonly reason: string };

/**
 * Sends one batch downstream; the part of an exporter below the sending queue
 * (the Collector's exporterhelper "sender"). One implementation per transport.
 */
export interface BatchSender extends Lifecycle {
  /**
   * One attempt, no retries. Should resolve promptly once `signal` aborts
   * (the queue stops waiting for it either way). Should not reject; a rejection
   * is treated as a permanent failure.
   */
  send(batch: TraceBatch, signal?: AbortSignal): Promise<SendResult>;
}
