import type { TraceBatch, TracesConsumer } from '../../pipeline/consumer';
import type { RequestGuard, RequestGuardStats } from './requestGuard';

/**
 * Puts a RequestGuard (memory limit, concurrency cap, deadline, request
 * counting) in front of a stage, for a receiver that does not run one itself:
 * each `consumeTraces` is one request. Refusals reject with the PipelineError
 * the receiver maps to its status (retryable `resource_exhausted` for the
 * limits, `deadline_exceeded` for the deadline).
 */
export class GuardedConsumer implements TracesConsumer {
  readonly #guard: RequestGuard;
  readonly #next: TracesConsumer;

  constructor(options: { readonly guard: RequestGuard; readonly next: TracesConsumer }) {
    this.#guard = options.guard;
    this.#next = options.next;
  }

  consumeTraces(batch: TraceBatch): Promise<void> {
    return this.#guard.run(() => this.#next.consumeTraces(batch));
  }

  stats(): RequestGuardStats {
    return this.#guard.stats();
  }
}
