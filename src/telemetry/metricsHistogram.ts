/** Cumulative counts per upper bound, as Prometheus histograms report them. */
export interface HistogramSnapshot {
  /** Observations <= `le`, for each finite bound in ascending order (the +Inf bucket is `count`). */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  /** Sum of all observations. */
  readonly sum: number;
  /** Number of observations. */
  readonly count: number;
}

/** Something that records durations or sizes, e.g. a {@link Histogram}. */
export interface Observer {
  observe(value: number): void;
}

/**
 * Bounds of look-up durations, seconds: from a cached-token round trip on a
 * LAN (5 ms) to a Genesys call that spent its whole retry budget (20 s).
 */
export const LOOKUP_SECONDS_BUCKETS: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30]);

/**
 * Bounds of how long batches are held for their look-ups, seconds: from just
 * past the look-up budget to a Retry-After of a minute and the default hold (90 s).
 */
export const HOLD_SECONDS_BUCKETS: readonly number[] = Object.freeze([0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 300]);

/**
 * A fixed-bucket histogram that a component observes into and the metrics
 * registry reads at scrape time. O(buckets) per observation, no allocation.
 */
export class Histogram implements Observer {
  readonly #bounds: readonly number[];
  readonly #counts: number[];
  #sum = 0;
  #count = 0;

  /** `bounds`: finite upper bounds, strictly ascending. */
  constructor(bounds: readonly number[]) {
    if (bounds.length === 0 || bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= bounds[i - 1]))) {
      throw new RangeError('Histogram: bounds must be finite and strictly ascending');
    }
    this.#bounds = Object.freeze([...bounds]);
    this.#counts = bounds.map(() => 0);
  }

  /** Records one value; NaN is ignored. */
  observe(value: number): void {
    if (Number.isNaN(value)) return;
    this.#sum += value;
    this.#count++;
    const i = this.#bounds.findIndex((b) => value <= b);
    if (i >= 0) this.#counts[i]++;
  }

  snapshot(): HistogramSnapshot {
    let running = 0;
    const buckets = this.#bounds.map((le, i) => ({ le, count: (running += this.#counts[i]) }));
    return { buckets, sum: this.#sum, count: this.#count };
  }
}
