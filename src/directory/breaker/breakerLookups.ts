import type { SingleLookup } from '../cache/cachedIdentityResolver';
import type { BulkLookup } from '../lookup/userBatcher';
import { requiredOption } from '../options';
import type { Resolution } from '../types';
import type { CircuitBreaker } from './circuitBreaker';
import type { CallOptions } from '../genesys/genesysClient';

/** The reason carried by look-ups the open circuit refused (ends up as `genesys.user.lookup=failed`). */
export const CIRCUIT_OPEN_REASON = 'Genesys circuit open: look-ups paused after repeated failures';

const OPEN: Resolution = Object.freeze({ status: 'failed', reason: CIRCUIT_OPEN_REASON });

/**
 * The breaker around the bulk look-up (between the batcher and UserLookup):
 * one bulk call is one breaker call. A call fails, for the breaker, when it
 * came back without a single definite answer (every id `failed`: Genesys
 * down, bad credentials, malformed answers); one found or not_found id, or
 * a 429, is proof Genesys answers.
 */
export class BreakerBulkLookup implements BulkLookup {
  readonly #inner: BulkLookup;
  readonly #breaker: CircuitBreaker;

  constructor(options: { readonly lookup: BulkLookup; readonly breaker: CircuitBreaker }) {
    this.#inner = requiredOption('BreakerBulkLookup', 'lookup', options?.lookup);
    this.#breaker = requiredOption('BreakerBulkLookup', 'breaker', options.breaker);
  }

  async lookupMany(ids: readonly string[], options?: CallOptions): Promise<ReadonlyMap<string, Resolution>> {
    const ticket = this.#breaker.tryAcquire();
    if (!ticket) {
      this.#breaker.countShortCircuited(ids.length);
      return new Map(ids.map((id) => [id, OPEN]));
    }
    let results: ReadonlyMap<string, Resolution>;
    try {
      results = await this.#inner.lookupMany(ids, options);
    } catch (err) {
      this.#breaker.record(ticket, false);
      throw err; // the batcher turns it into `failed` for each id
    }
    this.#breaker.record(ticket, answered(ids, results));
    return results;
  }
}

/**
 * The breaker's fast path in front of the batcher: while the circuit refuses
 * calls, a cache miss fails at once instead of waiting for the batch window
 * and a slot behind calls that are still timing out. When a probe may go, the
 * miss goes on to the batcher, whose next bulk call is the probe.
 */
export class BreakerSingleLookup implements SingleLookup {
  readonly #inner: SingleLookup;
  readonly #breaker: CircuitBreaker;

  constructor(options: { readonly lookup: SingleLookup; readonly breaker: CircuitBreaker }) {
    this.#inner = requiredOption('BreakerSingleLookup', 'lookup', options?.lookup);
    this.#breaker = requiredOption('BreakerSingleLookup', 'breaker', options.breaker);
  }

  promote(id: string): void {
    this.#inner.promote?.(id);
  }

  load(id: string): Promise<Resolution> {
    if (this.#breaker.admitsCalls()) return this.#inner.load(id);
    this.#breaker.countShortCircuited();
    return Promise.resolve(OPEN);
  }
}

function answered(ids: readonly string[], results: ReadonlyMap<string, Resolution>): boolean {
  if (ids.length === 0) return true; // nothing was asked of Genesys
  // A 429 is an answer too: Genesys is up, only throttling (holding is for that; the circuit is for down).
  for (const r of results.values()) if (r.status !== 'failed' || r.throttled) return true;
  return false;
}
