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
  /**
   * Present when the processor could not finish the batch within the look-up
   * budget: `bytes` are the request as received (not enriched yet), and the
   * batch is held by the sending queue until `settled`, then replaced by
   * `finish()`'s result and sent. See {@link PendingEnrichment}.
   */
  readonly pending?: PendingEnrichment;
}

/** Why a held batch is finished: its look-ups settled, the hold had to make room, or the service is stopping. */
export type HoldRelease = 'settled' | 'overflow' | 'shutdown';

/**
 * The rest of a batch's enrichment, which waits for Genesys: held inside the
 * enricher (not forwarded) until its look-ups are answered, the hold time runs
 * out, or Genesys is known to be down, so that clients are answered at once
 * while spans still leave with names.
 */
export interface PendingEnrichment {
  /**
   * Resolves when the batch can be finished: every look-up it waits for has
   * answered, the hold time ran out, or the circuit breaker opened. Never rejects.
   */
  readonly settled: Promise<void>;
  /**
   * Stops waiting and returns the batch to send: the held bytes enriched with
   * what is known now, spans still unresolved marked `genesys.user.lookup=failed`
   * (counted by `why`). Called at most once; the held bytes are not read after.
   */
  finish(why: HoldRelease): TraceBatch;
  /** Stops waiting without producing a batch: the held bytes stay owed elsewhere (a persistent store). */
  abandon(): void;
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
