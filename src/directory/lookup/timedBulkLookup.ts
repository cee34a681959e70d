import { functionOption, requiredOption } from '../options';
import type { Resolution } from '../types';
import type { BulkLookup } from './userBatcher';
import type { CallOptions } from '../genesys/genesysClient';

const OWNER = 'TimedBulkLookup';

export interface TimedBulkLookupOptions {
  /** The bulk look-up to time (usually UserLookup). Required. */
  readonly lookup: BulkLookup;
  /** Gets the duration of each bulk call, seconds, retries and waits included (e.g. a Histogram). Required. */
  readonly observer: { observe(seconds: number): void };
  /** Clock, ms. Default performance.now. */
  readonly now?: () => number;
}

/**
 * Times every bulk look-up (what `enricher_directory_lookup_duration_seconds`
 * reports): placed right above UserLookup, so calls refused by the circuit
 * breaker are not timed and the figures describe Genesys alone.
 */
export class TimedBulkLookup implements BulkLookup {
  readonly #inner: BulkLookup;
  readonly #observer: { observe(seconds: number): void };
  readonly #now: () => number;

  constructor(options: TimedBulkLookupOptions) {
    requiredOption(OWNER, 'options', options);
    this.#inner = requiredOption(OWNER, 'lookup', options.lookup);
    this.#observer = requiredOption(OWNER, 'observer', options.observer);
    this.#now = functionOption<() => number>(OWNER, 'now', options.now, performance.now.bind(performance));
  }

  async lookupMany(ids: readonly string[], options?: CallOptions): Promise<ReadonlyMap<string, Resolution>> {
    const started = this.#now();
    try {
      return await this.#inner.lookupMany(ids, options);
    } finally {
      this.#observer.observe((this.#now() - started) / 1000);
    }
  }
}
