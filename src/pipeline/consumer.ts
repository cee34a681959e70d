/**
 * The one contract between pipeline stages (receiver -> processor -> exporter),
 * after the Collector's `consumer.Traces`.
 *
 * A batch is an encoded OTLP `ExportTraceServiceRequest`. Stages pass the wire
 * bytes rather than decoded objects because decoding and re-encoding costs an
 * order of magnitude more CPU than walking the bytes (see ARCHITECTURE.md).
 * A stage never touches a batch after handing it on.
 */
export interface TraceBatch {
  /** Encoded `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest`. */
  readonly bytes: Buffer;
  /** Number of spans in `bytes`; known once the processor has walked the batch. */
  readonly spanCount: number;
  /**
   * Present when `bytes` is pooled memory (see BufferPool): the stage that
   * finishes with the batch (the sending queue, once the batch is sent or
   * dropped; the stage that handed it on, when the next stage refused it)
   * calls it exactly once, and nobody reads `bytes` after.
   */
  readonly release?: () => void;
}

/** A stage that accepts batches. */
export interface TracesConsumer {
  /**
   * Accepts a batch. Resolves once the batch is safely handed on (for the
   * exporter: queued). Rejects with a {@link PipelineError} that says whether
   * the sender may retry.
   */
  consumeTraces(batch: TraceBatch): Promise<void>;
}

/** Lifecycle shared by every component; shutdown is safe twice and before start. */
export interface Lifecycle {
  start(): Promise<void>;
  shutdown(): Promise<void>;
}
