import { intOption, requiredOption } from '../options';
import type { GenesysCaller } from '../lookup/userLookup';
import type { GenesysUser } from '../types';
import type { Logger } from '../../telemetry/logger';
import { MAX_QUERY_PAGE_SIZE, queryAllUsers } from './userQuery';

const OWNER = 'DirectoryWarmup';

/** Where the users go: the CachedIdentityResolver (its `set` caches a user as found and fresh). */
export interface WarmupTarget {
  set(user: GenesysUser): void;
}

export interface DirectoryWarmupOptions {
  /** Usually the directory's GenesysClient. Required. */
  readonly client: GenesysCaller;
  /** Required. */
  readonly cache: WarmupTarget;
  readonly logger: Logger;
  /** Users per page, 1..500. Default 500 (fewest calls). */
  readonly pageSize?: number;
  /**
   * How long readiness waits for the first load, milliseconds: after that the
   * service reports ready anyway (the load goes on; misses meanwhile take the
   * usual look-up path). 0 does not wait. Default 30,000.
   */
  readonly readyTimeoutMs?: number;
  /**
   * Pause between the end of one load and the start of the next, milliseconds;
   * 0 loads once. Keep it below the cache TTL so warm entries never go stale.
   * Default 300,000 (5 min).
   */
  readonly refreshMs?: number;
  /** Cache capacity, to warn when the org does not fit. Optional. */
  readonly cacheMaxEntries?: number;
}

/** What the warm-up has done so far. */
export interface DirectoryWarmupStats {
  /** `idle` before start; `loading` during a load; `loaded` after a complete one; `failed` when the last one failed; `stopped` after close. */
  readonly state: 'idle' | 'loading' | 'loaded' | 'failed' | 'stopped';
  /** Loads finished (complete or failed). */
  readonly loads: number;
  /** Users cached by the last complete load. */
  readonly users: number;
  /** Genesys calls made by all loads (one per page). */
  readonly pages: number;
  /** Duration of the last complete load, ms. */
  readonly lastLoadMs?: number;
  /** Why the last load failed, when it did. */
  readonly lastError?: string;
}

/**
 * Optional preload of the whole org into the cache (ENRICHER_WARMUP=on): at
 * start every user is read with cursor paging and cached as found, then the
 * load repeats every `refreshMs`. Spans of any user of the org are then
 * enriched from the cache without waiting for Genesys, from the first span
 * after the first load. A failed load is logged and retried at the next
 * refresh; what it cached before failing stays.
 *
 * `ready()` is for /readyz: true once the first load has finished (either
 * way) or `readyTimeoutMs` has passed, whichever comes first.
 */
export class DirectoryWarmup {
  readonly #client: GenesysCaller;
  readonly #cache: WarmupTarget;
  readonly #log: Logger;
  readonly #pageSize: number;
  readonly #readyTimeoutMs: number;
  readonly #refreshMs: number;
  readonly #cacheMax: number | undefined;
  readonly #stop = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #readyTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #firstDone: Promise<void> | undefined;
  #ready = false;
  #state: DirectoryWarmupStats['state'] = 'idle';
  #loads = 0;
  #users = 0;
  #pages = 0;
  #lastLoadMs: number | undefined;
  #lastError: string | undefined;

  constructor(options: DirectoryWarmupOptions) {
    requiredOption(OWNER, 'options', options);
    this.#client = requiredOption(OWNER, 'client', options.client);
    this.#cache = requiredOption(OWNER, 'cache', options.cache);
    this.#log = requiredOption(OWNER, 'logger', options.logger).child({ component: 'directory/warmup' });
    this.#pageSize = intOption(OWNER, 'pageSize', options.pageSize, MAX_QUERY_PAGE_SIZE);
    if (this.#pageSize > MAX_QUERY_PAGE_SIZE) throw new RangeError(`${OWNER}: option "pageSize" must be <= ${MAX_QUERY_PAGE_SIZE}, got ${this.#pageSize}`);
    this.#readyTimeoutMs = intOption(OWNER, 'readyTimeoutMs', options.readyTimeoutMs, 30_000, 0);
    this.#refreshMs = intOption(OWNER, 'refreshMs', options.refreshMs, 300_000, 0);
    this.#cacheMax = options.cacheMaxEntries;
  }

  /**
   * Starts the first load in the background and the readiness clock. Resolves
   * at once; `firstLoad()` tells when the load is over. Idempotent.
   */
  start(): void {
    if (this.#running || this.#stop.signal.aborted) return;
    this.#firstDone = this.#load();
    if (this.#readyTimeoutMs === 0) this.#ready = true;
    else {
      this.#readyTimer = setTimeout(() => {
        if (!this.#ready) this.#log.warn({ readyTimeoutMs: this.#readyTimeoutMs }, 'directory warm-up still loading: reporting ready anyway; misses are looked up meanwhile');
        this.#ready = true;
      }, this.#readyTimeoutMs);
      this.#readyTimer.unref();
    }
  }

  /** Settles when the first load has finished (complete or failed); at once before start. */
  firstLoad(): Promise<void> {
    return this.#firstDone ?? Promise.resolve();
  }

  /** For readiness: the first load finished, or the time limit passed. */
  ready(): boolean {
    return this.#ready;
  }

  stats(): DirectoryWarmupStats {
    return {
      state: this.#state,
      loads: this.#loads,
      users: this.#users,
      pages: this.#pages,
      ...(this.#lastLoadMs !== undefined ? { lastLoadMs: this.#lastLoadMs } : {}),
      ...(this.#lastError !== undefined ? { lastError: this.#lastError } : {}),
    };
  }

  /**
   * Stops refreshing and abandons a load in flight: its call is aborted, and
   * nothing it reads afterwards reaches the cache. Does not wait for it.
   * Safe twice and before start.
   */
  async close(): Promise<void> {
    this.#stop.abort();
    clearTimeout(this.#timer);
    clearTimeout(this.#readyTimer);
    this.#state = 'stopped';
  }

  #load(): Promise<void> {
    const run = this.#loadOnce().finally(() => {
      this.#ready = true;
      clearTimeout(this.#readyTimer);
      this.#scheduleRefresh();
    });
    this.#running = run;
    return run;
  }

  #scheduleRefresh(): void {
    if (this.#refreshMs === 0 || this.#stop.signal.aborted) return;
    this.#timer = setTimeout(() => void this.#load(), this.#refreshMs);
    this.#timer.unref();
  }

  async #loadOnce(): Promise<void> {
    const started = performance.now();
    this.#state = 'loading';
    let users = 0;
    let skipped = 0;
    try {
      for await (const page of queryAllUsers(this.#client, this.#pageSize, { signal: this.#stop.signal })) {
        if (this.#stop.signal.aborted) return;
        this.#pages++;
        for (const user of page.users) this.#cache.set(user);
        users += page.users.length;
        skipped += page.skipped;
      }
    } catch (err) {
      if (this.#stop.signal.aborted) return;
      this.#loads++;
      this.#state = 'failed';
      this.#lastError = err instanceof Error ? err.message : String(err);
      this.#log.warn({ err, usersSoFar: users, refreshMs: this.#refreshMs }, 'directory warm-up failed; cached what it read, retrying at the next refresh');
      return;
    }
    if (this.#stop.signal.aborted) return;
    this.#loads++;
    this.#state = 'loaded';
    this.#users = users;
    this.#lastError = undefined;
    this.#lastLoadMs = Math.round(performance.now() - started);
    if (this.#cacheMax !== undefined && users > this.#cacheMax) {
      this.#log.warn({ users, cacheMaxEntries: this.#cacheMax }, 'the org has more users than the cache holds: the least recently used are evicted (raise ENRICHER_CACHE_MAX_ENTRIES)');
    }
    this.#log.info({ users, skipped, ms: this.#lastLoadMs, pages: this.#pages }, 'directory warm-up loaded the org');
  }
}
