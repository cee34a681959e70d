import type { Logger } from '../../telemetry/logger';
import type { UnresolvedCause } from './stats';

/** At most one line per this many ms; the counts in between are summed into the next. */
const INTERVAL_MS = 10_000;

/**
 * The log line for spans that leave unresolved after being held (or because
 * the circuit is open): never one per span or per batch, at most one per
 * interval with the counts by cause since the previous line.
 */
export class UnresolvedLog {
  readonly #logger: Logger;
  #counts: Partial<Record<UnresolvedCause, number>> = {};
  #batches = 0;
  #lastAt = -Infinity;
  #timer: NodeJS.Timeout | undefined;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  add(cause: UnresolvedCause, spans: number): void {
    this.#counts[cause] = (this.#counts[cause] ?? 0) + spans;
    this.#batches++;
    const wait = this.#lastAt + INTERVAL_MS - performance.now();
    if (wait <= 0) return this.#flush();
    this.#timer ??= setTimeout(() => this.#flush(), wait).unref();
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#lastAt = performance.now();
    const spansByCause = this.#counts;
    const batches = this.#batches;
    this.#counts = {};
    this.#batches = 0;
    this.#logger.warn(
      { batches, spansByCause },
      'spans left without a name (genesys.user.lookup=failed): Genesys did not answer within the hold, the hold overflowed, or the circuit is open',
    );
  }
}
