import { intOption } from '../options';
import type { GenesysError } from './errors';

/** How one Genesys call is retried. All retries of a call share one time budget. */
export interface RetryOptions {
  /** Attempts per call, the first included. Default 4. */
  readonly maxAttempts?: number;
  /** Backoff before the first retry, milliseconds; doubles per retry. Default 200. */
  readonly initialBackoffMs?: number;
  /** Cap on one backoff, milliseconds (Retry-After is honoured beyond it). Default 5,000. */
  readonly maxBackoffMs?: number;
  /**
   * Wall time one call may take, attempts and waits included, milliseconds.
   * A wait that would end past it is not started: the call fails with
   * `budget_exhausted` at once. Default 20,000.
   */
  readonly budgetMs?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const RETRY_DEFAULTS: ResolvedRetryOptions = Object.freeze({
  maxAttempts: 4,
  initialBackoffMs: 200,
  maxBackoffMs: 5_000,
  budgetMs: 20_000,
});

/** Validates and fills in defaults; `owner` names the component in errors. */
export function resolveRetryOptions(owner: string, retry: RetryOptions | undefined): ResolvedRetryOptions {
  const r = retry ?? {};
  const resolved = {
    maxAttempts: intOption(owner, 'retry.maxAttempts', r.maxAttempts, RETRY_DEFAULTS.maxAttempts),
    initialBackoffMs: intOption(owner, 'retry.initialBackoffMs', r.initialBackoffMs, RETRY_DEFAULTS.initialBackoffMs, 0),
    maxBackoffMs: intOption(owner, 'retry.maxBackoffMs', r.maxBackoffMs, RETRY_DEFAULTS.maxBackoffMs, 0),
    budgetMs: intOption(owner, 'retry.budgetMs', r.budgetMs, RETRY_DEFAULTS.budgetMs),
  };
  if (resolved.maxBackoffMs < resolved.initialBackoffMs) {
    throw new RangeError(
      `${owner}: option "retry.maxBackoffMs" (${resolved.maxBackoffMs}) must be >= "retry.initialBackoffMs" (${resolved.initialBackoffMs})`,
    );
  }
  return Object.freeze(resolved);
}

/**
 * Milliseconds to wait before retry number `retry` (1 = first retry) after `err`:
 * the server's Retry-After when it gave one, otherwise "equal jitter" exponential
 * backoff, i.e. uniformly between half and all of min(max, initial * 2^(retry-1)),
 * so that many clients throttled together do not come back together.
 */
export function retryDelayMs(
  err: GenesysError,
  retry: number,
  options: ResolvedRetryOptions,
  random: () => number,
): number {
  if (err.retryAfterMs !== undefined) return err.retryAfterMs;
  const base = Math.min(options.maxBackoffMs, options.initialBackoffMs * 2 ** (retry - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}
