import type { TraceBatch, TracesConsumer } from '../../pipeline/consumer';

/** Counters since construction. */
export interface HandoffStats {
  /** Spans in batches the next stage accepted (`otelcol_receiver_accepted_spans`). */
  readonly acceptedSpans: number;
  /** Spans in batches the next stage refused (`otelcol_receiver_refused_spans`). */
  readonly refusedSpans: number;
  readonly acceptedBatches: number;
  readonly refusedBatches: number;
  /** Hand-offs started and not settled yet (gauge). */
  readonly inProgress: number;
}

/**
 * Sits between the enrichment processor and the sending queue of ONE receiver
 * (so its figures carry that receiver's transport). The receiver does not
 * parse requests; the processor does and hands the real span count on, so
 * this is where a request's spans become known: accepted when the queue takes
 * the batch, refused when it does not. It also tells the receiver's deadline
 * which hand-offs are in progress (see RequestGuard). Passes batches through
 * untouched.
 */
export class HandoffTap implements TracesConsumer {
  readonly #next: TracesConsumer;
  readonly #pending = new Set<Promise<void>>();
  #acceptedSpans = 0;
  #refusedSpans = 0;
  #acceptedBatches = 0;
  #refusedBatches = 0;

  constructor(options: { readonly next: TracesConsumer }) {
    if (typeof options?.next?.consumeTraces !== 'function') throw new TypeError('HandoffTap: option "next" must be a TracesConsumer');
    this.#next = options.next;
  }

  consumeTraces(batch: TraceBatch): Promise<void> {
    const spans = Number.isSafeInteger(batch.spanCount) && batch.spanCount > 0 ? batch.spanCount : 0;
    let handoff: Promise<void>;
    try {
      handoff = Promise.resolve(this.#next.consumeTraces(batch));
    } catch (err) {
      handoff = Promise.reject(err);
    }
    this.#pending.add(handoff);
    return handoff.then(
      () => {
        this.#pending.delete(handoff);
        this.#acceptedBatches++;
        this.#acceptedSpans += spans;
      },
      (err: unknown) => {
        this.#pending.delete(handoff);
        this.#refusedBatches++;
        this.#refusedSpans += spans;
        throw err;
      },
    );
  }

  /** Settles once every hand-off in progress now has settled (never rejects). */
  settled(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return Promise.allSettled([...this.#pending]).then(() => undefined);
  }

  stats(): HandoffStats {
    return {
      acceptedSpans: this.#acceptedSpans,
      refusedSpans: this.#refusedSpans,
      acceptedBatches: this.#acceptedBatches,
      refusedBatches: this.#refusedBatches,
      inProgress: this.#pending.size,
    };
  }
}
