import { LRUCache } from 'lru-cache';
import { functionOption, intOption, requiredOption } from '../options';
import type { GenesysUser, IdentityResolver, Resolution } from '../types';
import { normalizeUserId } from '../userId';

const OWNER = 'CachedIdentityResolver';

/** What the cache stores: definite answers only. A `failed` look-up is never cached. */
type Cached = Exclude<Resolution, { status: 'failed' }>;
type Status = LRUCache.Status<string, Cached, unknown>;

/**
 * A look-up's answer, with how long it stays fresh when the answer came from a
 * shared cache that already holds it for less than this cache's TTL
 * (milliseconds; the fleet's Redis entry's remaining TTL). Unset: this cache's TTL.
 */
export type LoadedResolution = Resolution & { readonly ttlMs?: number };

/** Where cache misses go: usually a UserBatcher (or the fleet's Redis in front of it). Must never reject. */
export interface SingleLookup {
  load(id: string): Promise<LoadedResolution>;
  /** Told that a look-up still waiting was asked for again (the cache coalesced it): it may go first. Optional. */
  promote?(id: string): void;
}

export interface CachedIdentityResolverOptions {
  /** Resolves misses. Required. */
  readonly lookup: SingleLookup;
  /** Most ids cached; least recently used go first. Default 100,000. */
  readonly max?: number;
  /** How long a found user is fresh, milliseconds. Default 600,000 (10 min). */
  readonly ttlMs?: number;
  /** How long a not_found answer is fresh, milliseconds (new users appear). Default 60,000. */
  readonly notFoundTtlMs?: number;
  /**
   * How long past its TTL an entry may still be served while a refresh runs or
   * keeps failing, milliseconds. 0 serves fresh entries only. Default 3,600,000 (1 h).
   */
  readonly staleWindowMs?: number;
  /** Clock for TTLs, milliseconds (monotonic or wall). Default: lru-cache's (performance.now). */
  readonly now?: () => number;
}

/** Counters since construction. */
export interface CachedIdentityResolverStats {
  /** Entries held (fresh, stale, and look-ups in flight). */
  readonly size: number;
  /** Probes answered with a fresh entry. */
  readonly hits: number;
  /** Probes answered with a stale entry (each starts a refresh unless one runs). */
  readonly stale: number;
  /** `peek` calls that found nothing usable. */
  readonly misses: number;
  /** Look-ups dispatched to the lookup (one per id; concurrent ones share it). */
  readonly fetches: number;
  /** Resolves that joined a look-up already in flight. */
  readonly coalesced: number;
  /** Look-ups that came back failed or rejected (not cached). */
  readonly failures: number;
  /** Ids rejected as malformed (answered not_found, never looked up). */
  readonly invalid: number;
}

const NOT_FOUND: Cached = Object.freeze({ status: 'not_found' });

/**
 * The IdentityResolver: an lru-cache in front of the batched look-up.
 *
 * lru-cache does the work: `fetch()` coalesces concurrent misses of one id into
 * one fetchMethod call (which goes through the batcher, so misses of different
 * ids share bulk requests); the fetchMethod shortens the TTL of not_found via
 * `options.ttl`. Staleness: `ttl` marks entries stale, `ttlAutopurge: false`
 * keeps them until evicted, and `noDeleteOnFetchRejection` keeps a stale value
 * when its refresh fails. The stale window has no lru-cache option, so it is
 * checked here from the remaining TTL that a `has()` status reports; for
 * entries past it the fetchMethod turns `noDeleteOnFetchRejection` off, so a
 * failed refresh drops them. `allowStaleOnFetchRejection` is deliberately not
 * used: it resolves every coalesced caller with `undefined` and loses the
 * failure's reason; instead rejections reach `resolve()`, which answers from
 * the stale value (if still in the window) or with `failed` and the reason.
 */
export class CachedIdentityResolver implements IdentityResolver {
  readonly #lookup: SingleLookup;
  readonly #notFoundTtlMs: number;
  readonly #staleWindowMs: number;
  readonly #cache: LRUCache<string, Cached, unknown>;
  readonly #background = new Set<Promise<unknown>>();
  #hits = 0;
  #stale = 0;
  #misses = 0;
  #fetches = 0;
  #coalesced = 0;
  #failures = 0;
  #invalid = 0;

  constructor(options: CachedIdentityResolverOptions) {
    requiredOption(OWNER, 'options', options);
    this.#lookup = requiredOption(OWNER, 'lookup', options.lookup);
    const max = intOption(OWNER, 'max', options.max, 100_000);
    const ttl = intOption(OWNER, 'ttlMs', options.ttlMs, 600_000);
    this.#notFoundTtlMs = intOption(OWNER, 'notFoundTtlMs', options.notFoundTtlMs, 60_000);
    this.#staleWindowMs = intOption(OWNER, 'staleWindowMs', options.staleWindowMs, 3_600_000, 0);
    const now = functionOption<() => number>(OWNER, 'now', options.now, performance.now.bind(performance));
    this.#cache = new LRUCache<string, Cached, unknown>({
      max,
      ttl,
      ttlAutopurge: false,
      // An injected clock is read on every check (lru-cache would otherwise reuse a reading for 1 ms of real time).
      ...(options.now ? { perf: { now }, ttlResolution: 0 } : {}),
      noDeleteOnFetchRejection: this.#staleWindowMs > 0,
      // A probe of a stale entry must not delete it: it is served while it refreshes (see #probe).
      noDeleteOnStaleGet: true,
      allowStaleOnFetchRejection: false,
      fetchMethod: (id, staleValue, { options: fetchOptions }) => this.#fetchMethod(id, staleValue, fetchOptions),
    });
  }

  /** Fresh or (within the stale window) stale entry, or undefined. Malformed ids are not_found. */
  peek(rawId: string): Resolution | undefined {
    const id = normalizeUserId(rawId);
    if (id === undefined) return this.#invalidId();
    const cached = this.#probe(id);
    if (cached === undefined) this.#misses++;
    return cached;
  }

  /** Resolves each id (keys as given); concurrent and nearby misses share requests. Never rejects. */
  async resolve(ids: readonly string[]): Promise<ReadonlyMap<string, Resolution>> {
    const unique = [...new Set(ids)];
    const resolutions = await Promise.all(unique.map((raw) => this.#resolveOne(raw)));
    return new Map(unique.map((raw, i) => [raw, resolutions[i] as Resolution]));
  }

  /**
   * Looks the id up again now even if fresh (e.g. after changing the user), and
   * caches the answer. If a look-up of it is already in flight, joins that one.
   * On failure the previous entry stays and `failed` is returned.
   */
  async refresh(rawId: string): Promise<Resolution> {
    const id = normalizeUserId(rawId);
    if (id === undefined) return this.#invalidId();
    return this.#fetch(id, true);
  }

  /** Caches `user` as found and fresh (e.g. the answer of a write). Throws on a malformed id. */
  set(user: GenesysUser): void {
    const id = normalizeUserId(user.id);
    if (id === undefined) throw new RangeError(`${OWNER}.set: user.id is not a Genesys user id`);
    this.#cache.set(id, Object.freeze({ status: 'found', user: id === user.id ? user : { ...user, id } }));
  }

  /** Settles when the background refreshes started so far have finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  stats(): CachedIdentityResolverStats {
    return {
      size: this.#cache.size,
      hits: this.#hits,
      stale: this.#stale,
      misses: this.#misses,
      fetches: this.#fetches,
      coalesced: this.#coalesced,
      failures: this.#failures,
      invalid: this.#invalid,
    };
  }

  async #resolveOne(raw: string): Promise<Resolution> {
    const id = normalizeUserId(raw);
    if (id === undefined) return this.#invalidId();
    return this.#probe(id) ?? this.#fetch(id, false);
  }

  // Cached value if fresh, or stale within the window (then a refresh starts); no I/O on the caller's time.
  #probe(id: string): Cached | undefined {
    // get answers fresh entries only, and marks the entry most recently used, so
    // the ids that traffic keeps repeating are the last to be evicted (a flood of
    // one-off ids evicts one-off ids first).
    const fresh = this.#cache.get(id);
    if (fresh !== undefined) {
      this.#hits++;
      return fresh;
    }
    const status: Status = {};
    this.#cache.has(id, { status });
    if (status.has !== 'stale' || -(status.remainingTTL ?? 0) > this.#staleWindowMs) return undefined;
    const value = this.#cache.get(id, { allowStale: true });
    if (value === undefined) return undefined;
    this.#stale++;
    this.#refreshInBackground(id);
    return value;
  }

  #refreshInBackground(id: string): void {
    const status: Status = {};
    const refresh = this.#cache.fetch(id, { status });
    this.#countFetch(status);
    if (!status.fetchDispatched) {
      refresh.catch(() => undefined);
      return;
    }
    // Failure keeps the stale value (noDeleteOnFetchRejection); the rejection carries nothing more to act on.
    const tracked = refresh.catch(() => undefined).finally(() => this.#background.delete(tracked));
    this.#background.add(tracked);
  }

  async #fetch(id: string, forceRefresh: boolean): Promise<Resolution> {
    const status: Status = {};
    try {
      const fetching = this.#cache.fetch(id, { status, forceRefresh });
      this.#countFetch(status, id);
      const value = await fetching;
      return value ?? failed('look-up was abandoned');
    } catch (err) {
      // A set() during the look-up aborts it: the value it wrote is the answer then.
      const current = this.#cache.peek(id);
      if (current !== undefined && !forceRefresh) return current;
      return failed(err instanceof Error ? err.message : 'look-up failed');
    }
  }

  async #fetchMethod(id: string, staleValue: Cached | undefined, options: LRUCache.FetcherFetchOptions<string, Cached, unknown>): Promise<Cached> {
    // Past the stale window a failed refresh must not keep the old value.
    if (staleValue !== undefined && -this.#cache.getRemainingTTL(id) > this.#staleWindowMs) {
      options.noDeleteOnFetchRejection = false;
    }
    const resolution = await this.#lookup.load(id);
    if (resolution.status === 'failed') {
      this.#failures++;
      throw new Error(resolution.reason);
    }
    if (resolution.status === 'not_found') options.ttl = this.#notFoundTtlMs;
    if (resolution.ttlMs !== undefined) {
      // Fresh no longer than the shared entry it came from; cached without the hint.
      options.ttl = Math.max(1, Math.min(options.ttl ?? Infinity, Math.round(resolution.ttlMs)));
      return resolution.status === 'found' ? Object.freeze({ status: 'found', user: resolution.user }) : NOT_FOUND;
    }
    return resolution;
  }

  #countFetch(status: Status, id?: string): void {
    if (status.fetchDispatched) this.#fetches++;
    else if (status.fetch === 'inflight') {
      this.#coalesced++;
      // Asked for again while it waits: traffic keeps naming this user, let it go before one-off ids.
      if (id !== undefined) this.#lookup.promote?.(id);
    }
  }

  #invalidId(): Resolution {
    this.#invalid++;
    return NOT_FOUND;
  }
}

function failed(reason: string): Resolution {
  return Object.freeze({ status: 'failed', reason });
}
