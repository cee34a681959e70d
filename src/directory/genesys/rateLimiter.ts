import { functionOption, intOption, requiredOption } from '../options';
import { sleep as abortableSleep } from './abort';

const OWNER = 'RequestRateLimiter';

/**
 * What GenesysClient asks before each HTTP request it sends (retries included,
 * token requests excluded) when it is given one.
 */
export interface RequestLimiter {
  /** Resolves when one request may go out; rejects with `signal.reason` if the signal aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Told that Genesys answered 429 with this Retry-After (milliseconds), so that nothing goes out until then. */
  throttled?(retryAfterMs: number): void;
}

export interface RequestRateLimiterOptions {
  /**
   * Sustained requests per minute. Required, >= 1. Genesys allows about 300
   * per minute per client-credentials token; 240 leaves room for a second
   * process sharing the OAuth client and for clock skew.
   */
  readonly ratePerMinute: number;
  /**
   * Bucket capacity: requests that may go out back to back after a quiet
   * spell. Default one second's worth, ceil(ratePerMinute / 60). No 60 s
   * window then holds more than ratePerMinute + burst requests.
   */
  readonly burst?: number;
  /** Clock, milliseconds. Default Date.now. */
  readonly now?: () => number;
  /** Waits `ms` milliseconds, rejecting when `signal` aborts. Default a timer; tests pass one that advances a fake clock. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Counters since construction. */
export interface RequestRateLimiterStats {
  /** Requests let through. */
  readonly granted: number;
  /** Of those, how many had to wait. */
  readonly delayed: number;
  /** Total time spent waiting, milliseconds (sum over requests). */
  readonly waitedMs: number;
  /** 429 answers reported through `throttled`. */
  readonly throttled: number;
}

/**
 * A token bucket: `burst` tokens at most, refilled at `ratePerMinute / 60000`
 * per millisecond; each request takes one. Waiters are served first come,
 * first served (one chain of turns), so a bulk run cannot starve a single
 * look-up behind it. A 429 empties the bucket and holds everyone back for the
 * Retry-After, since the server's count, not ours, is what matters then.
 */
export class RequestRateLimiter implements RequestLimiter {
  readonly #perMs: number;
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #tokens: number;
  #refilledAt: number;
  #pausedUntil = 0;
  #tail: Promise<unknown> = Promise.resolve();
  #granted = 0;
  #delayed = 0;
  #waitedMs = 0;
  #throttled = 0;

  constructor(options: RequestRateLimiterOptions) {
    requiredOption(OWNER, 'options', options);
    const rate = intOption(OWNER, 'ratePerMinute', requiredOption(OWNER, 'ratePerMinute', options.ratePerMinute), 1);
    this.#perMs = rate / 60_000;
    this.#capacity = intOption(OWNER, 'burst', options.burst, Math.ceil(rate / 60));
    this.#now = functionOption<() => number>(OWNER, 'now', options.now, Date.now);
    this.#sleep = functionOption(OWNER, 'sleep', options.sleep, defaultSleep);
    this.#tokens = this.#capacity;
    this.#refilledAt = this.#now();
  }

  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#tail.then(() => this.#take(signal));
    // A waiter that gave up must not block the ones behind it.
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  throttled(retryAfterMs: number): void {
    if (!(retryAfterMs >= 0)) return;
    this.#throttled++;
    this.#refill();
    this.#tokens = 0;
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + retryAfterMs);
  }

  stats(): RequestRateLimiterStats {
    return { granted: this.#granted, delayed: this.#delayed, waitedMs: this.#waitedMs, throttled: this.#throttled };
  }

  async #take(signal: AbortSignal | undefined): Promise<void> {
    const arrived = this.#now();
    for (;;) {
      signal?.throwIfAborted();
      this.#refill();
      const now = this.#now();
      const wait = now < this.#pausedUntil ? this.#pausedUntil - now : this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs);
      if (wait === 0) break;
      await this.#sleep(wait, signal);
    }
    this.#tokens -= 1;
    this.#granted++;
    const waited = this.#now() - arrived;
    if (waited > 0) {
      this.#delayed++;
      this.#waitedMs += waited;
    }
  }

  #refill(): void {
    const now = this.#now();
    const elapsed = Math.max(0, now - this.#refilledAt);
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#perMs);
    this.#refilledAt = now;
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return abortableSleep(ms, signal ?? new AbortController().signal);
}
