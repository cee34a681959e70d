import { intOption, requiredOption } from '../options';
import type { Resolution } from '../types';
import { MAX_IDS_PER_REQUEST } from './userLookup';

const OWNER = 'UserBatcher';

/** What the batcher sends batches to: usually a UserLookup. Must never reject. */
export interface BulkLookup {
  lookupMany(ids: readonly string[]): Promise<ReadonlyMap<string, Resolution>>;
}

export interface UserBatcherOptions {
  /** Resolves one batch. Required. */
  readonly lookup: BulkLookup;
  /**
   * How long the first id of a batch waits for company before the batch is
   * sent, milliseconds. Small against a Genesys round trip (tens to hundreds of
   * ms), long enough to merge the misses of OTLP requests arriving together.
   * Default 5.
   */
  readonly batchWindowMs?: number;
  /** Ids per bulk request; a batch this full is sent at once. 1..100. Default 100. */
  readonly maxBatchSize?: number;
  /** Bulk requests in flight at once; further batches queue. Default 4. */
  readonly maxConcurrentRequests?: number;
  /**
   * Distinct ids waiting (collected, queued or in flight) beyond which new ids
   * fail at once with "look-up queue full" instead of queueing without bound
   * while Genesys is slow. Default 10,000.
   */
  readonly maxPendingIds?: number;
}

/** Counters since construction. */
export interface UserBatcherStats {
  /** Bulk requests sent. */
  readonly batches: number;
  /** Ids sent in them. */
  readonly ids: number;
  /** Ids failed at once because maxPendingIds was reached or the batcher was closed. */
  readonly rejected: number;
  /** Distinct ids not resolved yet. */
  readonly pending: number;
}

type Waiter = (resolution: Resolution) => void;

/**
 * Coalesces single-id look-ups into bulk requests: ids arriving within
 * `batchWindowMs` of the first (or until `maxBatchSize` are collected) go out
 * as one request; at most `maxConcurrentRequests` requests run at once. A
 * second `load` of an id still pending shares the first one's result.
 */
export class UserBatcher {
  readonly #lookup: BulkLookup;
  readonly #windowMs: number;
  readonly #batchSize: number;
  readonly #maxConcurrent: number;
  readonly #maxPending: number;
  /** Every unresolved id and who waits for it. */
  readonly #waiters = new Map<string, Waiter[]>();
  #collecting: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #queue: string[][] = [];
  #inFlight = 0;
  #closed = false;
  #batches = 0;
  #ids = 0;
  #rejected = 0;

  constructor(options: UserBatcherOptions) {
    requiredOption(OWNER, 'options', options);
    this.#lookup = requiredOption(OWNER, 'lookup', options.lookup);
    this.#windowMs = intOption(OWNER, 'batchWindowMs', options.batchWindowMs, 5, 0);
    this.#batchSize = intOption(OWNER, 'maxBatchSize', options.maxBatchSize, MAX_IDS_PER_REQUEST);
    if (this.#batchSize > MAX_IDS_PER_REQUEST) {
      throw new RangeError(`${OWNER}: option "maxBatchSize" must be <= ${MAX_IDS_PER_REQUEST}, got ${this.#batchSize}`);
    }
    this.#maxConcurrent = intOption(OWNER, 'maxConcurrentRequests', options.maxConcurrentRequests, 4);
    this.#maxPending = intOption(OWNER, 'maxPendingIds', options.maxPendingIds, 10_000);
  }

  /** The resolution of one (normalised) id. Never rejects. */
  load(id: string): Promise<Resolution> {
    return new Promise<Resolution>((resolve) => {
      const waiting = this.#waiters.get(id);
      if (waiting) return void waiting.push(resolve);
      if (this.#closed) return void this.#reject(resolve, 'look-up batcher closed');
      if (this.#waiters.size >= this.#maxPending) return void this.#reject(resolve, 'look-up queue full');
      this.#waiters.set(id, [resolve]);
      this.#collecting.push(id);
      if (this.#collecting.length >= this.#batchSize) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.#windowMs);
    });
  }

  stats(): UserBatcherStats {
    return { batches: this.#batches, ids: this.#ids, rejected: this.#rejected, pending: this.#waiters.size };
  }

  /**
   * Fails ids not yet sent (reason "look-up batcher closed") and every later
   * `load`; requests in flight finish. Safe to call twice.
   */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const unsent = [...this.#collecting, ...this.#queue.flat()];
    this.#collecting = [];
    this.#queue.length = 0;
    this.#rejected += unsent.length;
    this.#settle(unsent, new Map(), 'look-up batcher closed');
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#collecting.length === 0) return;
    this.#queue.push(this.#collecting);
    this.#collecting = [];
    this.#pump();
  }

  #pump(): void {
    while (this.#inFlight < this.#maxConcurrent && this.#queue.length > 0) {
      const batch = this.#queue.shift() as string[];
      this.#inFlight++;
      this.#batches++;
      this.#ids += batch.length;
      void this.#send(batch);
    }
  }

  async #send(batch: string[]): Promise<void> {
    let results: ReadonlyMap<string, Resolution>;
    let reason = 'look-up returned no result';
    try {
      results = await this.#lookup.lookupMany(batch);
    } catch (err) {
      // The contract says lookupMany never rejects; stay safe if one does.
      results = new Map();
      reason = err instanceof Error ? err.message : 'look-up failed';
    }
    this.#inFlight--;
    this.#settle(batch, results, reason);
    this.#pump();
  }

  #settle(ids: readonly string[], results: ReadonlyMap<string, Resolution>, reason: string): void {
    for (const id of ids) {
      const waiting = this.#waiters.get(id) ?? [];
      this.#waiters.delete(id);
      const resolution = results.get(id) ?? failed(reason);
      for (const resolve of waiting) resolve(resolution);
    }
  }

  #reject(resolve: Waiter, reason: string): void {
    this.#rejected++;
    resolve(failed(reason));
  }
}

function failed(reason: string): Resolution {
  return Object.freeze({ status: 'failed', reason });
}
