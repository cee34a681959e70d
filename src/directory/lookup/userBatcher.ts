import { intOption, requiredOption } from '../options';
import type { Resolution } from '../types';
import { MAX_IDS_PER_REQUEST } from './userLookup';
import type { CallOptions } from '../genesys/genesysClient';
import type { RequestLimiter } from '../genesys/rateLimiter';

const OWNER = 'UserBatcher';

/** What the batcher sends batches to: usually a UserLookup. Must never reject. */
export interface BulkLookup {
  lookupMany(ids: readonly string[], options?: CallOptions): Promise<ReadonlyMap<string, Resolution>>;
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
  /**
   * The Genesys request budget (the client's rate limiter). A batch is cut only
   * once the limiter grants its request, and ids keep collecting meanwhile (up
   * to `maxBatchSize`), so floods of ids are answered with fewer, fuller calls;
   * the call then goes out without waiting again (CallOptions.admitted).
   * Default none: batches are cut by the window alone.
   */
  readonly limiter?: RequestLimiter;
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
 * as one request; at most `maxConcurrentRequests` requests run at once. While
 * every slot is busy, or the rate limiter has not granted the next request
 * yet, ids keep collecting and the next request carries up to `maxBatchSize`
 * of them, oldest first. A second `load` of an id still pending shares the
 * first one's result.
 */
export class UserBatcher {
  readonly #lookup: BulkLookup;
  readonly #windowMs: number;
  readonly #batchSize: number;
  readonly #maxConcurrent: number;
  readonly #maxPending: number;
  /** Every unresolved id and who waits for it. */
  readonly #waiters = new Map<string, Waiter[]>();
  /** Ids not sent yet: first those asked for again while waiting (promoted), then the rest, oldest first. */
  #unsent: string[] = [];
  /** The ids of #unsent, and how many at its front were promoted. */
  readonly #unsentIds = new Set<string>();
  #promotedCount = 0;
  /** The oldest unsent id has waited the batch window (or a batch is full): cut one when a slot is free. */
  #due = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #limiter: RequestLimiter | undefined;
  /** A limiter turn asked for and not granted yet (one at a time: its batch is cut when it comes). */
  #awaitingTurn = false;
  readonly #closedSignal = new AbortController();
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
    if (options.limiter !== undefined && typeof options.limiter.acquire !== 'function') {
      throw new TypeError(`${OWNER}: option "limiter" must have an acquire() method`);
    }
    this.#limiter = options.limiter;
  }

  /** The resolution of one (normalised) id. Never rejects. */
  load(id: string): Promise<Resolution> {
    return new Promise<Resolution>((resolve) => {
      const waiting = this.#waiters.get(id);
      if (waiting) return void waiting.push(resolve);
      if (this.#closed) return void this.#reject(resolve, 'look-up batcher closed');
      if (this.#waiters.size >= this.#maxPending) return void this.#reject(resolve, 'look-up queue full');
      this.#waiters.set(id, [resolve]);
      this.#unsent.push(id);
      this.#unsentIds.add(id);
      if (this.#unsent.length >= this.#batchSize) this.#flush();
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
    this.#closedSignal.abort(new Error('look-up batcher closed'));
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const unsent = this.#unsent;
    this.#unsent = [];
    this.#unsentIds.clear();
    this.#promotedCount = 0;
    this.#rejected += unsent.length;
    this.#settle(unsent, new Map(), 'look-up batcher closed');
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#unsent.length === 0) return;
    this.#due = true;
    this.#pump();
  }

  /** Cuts and sends batches while a request slot is free and ids are due; with a limiter, each after its turn. */
  #pump(): void {
    while (!this.#closed && this.#due && this.#inFlight < this.#maxConcurrent && this.#unsent.length > 0) {
      if (!this.#limiter) {
        this.#send(this.#cut(), false);
        continue;
      }
      if (this.#awaitingTurn) return;
      this.#awaitingTurn = true;
      this.#limiter.acquire(this.#closedSignal.signal).then(
        () => {
          this.#awaitingTurn = false;
          if (this.#closed) return; // close() failed the unsent ids
          if (this.#unsent.length > 0) this.#send(this.#cut(), true);
          this.#pump();
        },
        () => {
          this.#awaitingTurn = false; // only close() aborts the wait
        },
      );
      return;
    }
  }

  /**
   * Moves an id that is waiting to be sent ahead of the ids only asked for
   * once: traffic that keeps naming a user goes before a flood of one-off ids.
   * Does nothing for an id already sent or not waiting.
   */
  promote(id: string): void {
    if (!this.#unsentIds.has(id)) return;
    const at = this.#unsent.indexOf(id, this.#promotedCount);
    if (at < 0) return; // promoted already
    this.#unsent.splice(at, 1);
    this.#unsent.splice(this.#promotedCount++, 0, id);
  }

  /** The first unsent ids (promoted first, then oldest), at most one batch; later ids wait for the next slot or window. */
  #cut(): string[] {
    const batch = this.#unsent.length <= this.#batchSize ? this.#unsent : this.#unsent.slice(0, this.#batchSize);
    this.#unsent = batch === this.#unsent ? [] : this.#unsent.slice(this.#batchSize);
    this.#promotedCount = Math.max(0, this.#promotedCount - batch.length);
    for (const id of batch) this.#unsentIds.delete(id);
    // Ids left behind have waited at least as long as the window asks: they are due too.
    this.#due = this.#unsent.length > 0;
    return batch;
  }

  #send(batch: string[], admitted: boolean): void {
    this.#inFlight++;
    this.#batches++;
    this.#ids += batch.length;
    void this.#request(batch, admitted);
  }

  async #request(batch: string[], admitted: boolean): Promise<void> {
    let results: ReadonlyMap<string, Resolution>;
    let reason = 'look-up returned no result';
    try {
      results = await this.#lookup.lookupMany(batch, admitted ? { admitted } : undefined);
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
