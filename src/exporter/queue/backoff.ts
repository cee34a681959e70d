/** Exponential backoff between retries of one batch. */
export interface BackoffPolicy {
  /** Upper bound of the first delay, ms. */
  readonly initialIntervalMs: number;
  /** Largest upper bound any delay can reach, ms. */
  readonly maxIntervalMs: number;
  /** Growth of the upper bound per retry. */
  readonly multiplier: number;
}

/**
 * Delay before retry number `retry` (0 for the first), with full jitter: uniform
 * in [0, min(maxIntervalMs, initialIntervalMs * multiplier^retry)). Full jitter
 * spreads out the retries of many batches that failed together.
 * `random` returns a number in [0, 1).
 */
export function backoffDelayMs(policy: BackoffPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxIntervalMs, policy.initialIntervalMs * policy.multiplier ** retry);
  return Math.floor(random() * ceiling);
}
