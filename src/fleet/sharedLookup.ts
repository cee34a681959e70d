import { randomUUID } from 'node:crypto';
import type { LoadedResolution, SingleLookup } from '../directory/cache/cachedIdentityResolver';
import { intOption, requiredOption } from '../directory/options';
import type { FleetRedis } from './fleetRedis';
import { type SharedAnswer, decodeAnswer, encodeAnswer, lockKey, userKey } from './sharedEntry';

const OWNER = 'SharedSingleLookup';

export interface SharedSingleLookupOptions {
  readonly redis: FleetRedis;
  /** What this process calls when the fleet has no answer: the breaker over the batcher. Required. */
  readonly next: SingleLookup;
  /** How long a found user stays in Redis, ms (the cache TTL). Default 600,000. */
  readonly ttlMs?: number;
  /** How long a not_found answer stays in Redis, ms. Default 60,000. */
  readonly notFoundTtlMs?: number;
  /**
   * How long a replica waits for the one that holds an id's lock to share its
   * answer, ms; then it asks Genesys itself. Also the lock's lifetime, so a
   * holder that died frees it. 0: no lock, every replica asks on a miss. Default 2000.
   */
  readonly lockWaitMs?: number;
  /** How often a waiter looks for the answer, ms. Default 20. */
  readonly pollMs?: number;
}

/** Counters since construction. */
export interface SharedSingleLookupStats {
  /** Misses of this process's cache that Redis answered. */
  readonly hits: number;
  /** Misses Redis had no answer for (then a lock, a wait or a Genesys call). */
  readonly misses: number;
  /** Answers another replica's look-up gave while this one waited. */
  readonly shared: number;
  /** Waits that ran out (or whose holder gave up): this process asked Genesys itself. */
  readonly fallbacks: number;
  /** Look-ups this process made (lock held, Redis down, or fallback). */
  readonly ownLookups: number;
}

// KEYS: user, lock. Answer, its remaining TTL (ms), and whether some replica holds the lock.
const READ = `return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1]), redis.call('EXISTS', KEYS[2])}`;
// KEYS: user, lock. ARGV: answer, ttl ms, our lock token. Shares the answer, then frees our lock (never another's).
const SHARE = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end return 1`;
// KEYS: lock. ARGV: our token.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The fleet's second level, between the in-process cache and this process's
 * own Genesys look-ups: a miss reads Redis first; with no answer there, the
 * first replica to take the id's lock asks Genesys and shares the answer, and
 * replicas missing on the same id meanwhile wait for it (polling, at most
 * `lockWaitMs`) instead of asking too. Whenever Redis cannot answer in time
 * (slow, down, breaker open) the look-up goes straight to `next`: Redis
 * trouble costs sharing, never an answer. Keys use a hash tag on the id, so
 * the two keys of one id live in one Redis Cluster slot.
 */
export class SharedSingleLookup implements SingleLookup {
  readonly #redis: FleetRedis;
  readonly #next: SingleLookup;
  readonly #ttlMs: number;
  readonly #notFoundTtlMs: number;
  readonly #lockWaitMs: number;
  readonly #pollMs: number;
  readonly #owner = randomUUID();
  #hits = 0;
  #misses = 0;
  #shared = 0;
  #fallbacks = 0;
  #ownLookups = 0;

  constructor(options: SharedSingleLookupOptions) {
    requiredOption(OWNER, 'options', options);
    this.#redis = requiredOption(OWNER, 'redis', options.redis);
    this.#next = requiredOption(OWNER, 'next', options.next);
    this.#ttlMs = intOption(OWNER, 'ttlMs', options.ttlMs, 600_000);
    this.#notFoundTtlMs = intOption(OWNER, 'notFoundTtlMs', options.notFoundTtlMs, 60_000);
    this.#lockWaitMs = intOption(OWNER, 'lockWaitMs', options.lockWaitMs, 2000, 0);
    this.#pollMs = intOption(OWNER, 'pollMs', options.pollMs, 20);
  }

  async load(id: string): Promise<LoadedResolution> {
    const keys = this.#keys(id);
    const first = await this.#read(keys);
    if (first === undefined) return this.#own(id, keys, undefined); // Redis cannot answer: on our own
    if (first.answer) {
      this.#hits++;
      return first.answer;
    }
    this.#misses++;
    if (this.#lockWaitMs === 0) return this.#own(id, keys, undefined);
    const token = `${this.#owner}:${randomUUID()}`;
    const locked = await this.#redis.run((r) => r.set(keys.lock, token, 'PX', this.#lockWaitMs, 'NX'));
    if (!locked.ok) return this.#own(id, keys, undefined);
    if (locked.value === 'OK') return this.#own(id, keys, token);
    const answer = await this.#waitForHolder(keys);
    if (answer) {
      this.#shared++;
      return answer;
    }
    this.#fallbacks++;
    return this.#own(id, keys, undefined);
  }

  stats(): SharedSingleLookupStats {
    return { hits: this.#hits, misses: this.#misses, shared: this.#shared, fallbacks: this.#fallbacks, ownLookups: this.#ownLookups };
  }

  // Asks `next` and shares a definite answer (freeing our lock, if we hold one); a failure frees the lock so waiters go on.
  async #own(id: string, keys: Keys, token: string | undefined): Promise<LoadedResolution> {
    this.#ownLookups++;
    const resolution = await this.#next.load(id);
    if (resolution.status === 'failed') {
      if (token) await this.#redis.run((r) => r.eval(RELEASE, 1, keys.lock, token));
      return resolution;
    }
    const ttl = resolution.status === 'found' ? this.#ttlMs : this.#notFoundTtlMs;
    const answer: SharedAnswer = resolution.status === 'found' ? { status: 'found', user: resolution.user } : { status: 'not_found' };
    await this.#redis.run((r) => r.eval(SHARE, 2, keys.user, keys.lock, encodeAnswer(answer), ttl, token ?? ''));
    return resolution;
  }

  // The holder's answer once it is there; undefined when the wait ran out, the lock went without an answer, or Redis failed.
  async #waitForHolder(keys: Keys): Promise<LoadedResolution | undefined> {
    const deadline = performance.now() + this.#lockWaitMs;
    while (performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
      const seen = await this.#read(keys);
      if (seen === undefined) return undefined;
      if (seen.answer) return seen.answer;
      if (!seen.locked) return undefined;
    }
    return undefined;
  }

  async #read(keys: Keys): Promise<{ answer: LoadedResolution | undefined; locked: boolean } | undefined> {
    const read = await this.#redis.run((r) => r.eval(READ, 2, keys.user, keys.lock) as Promise<[string | null, number, number]>);
    if (!read.ok) return undefined;
    const [text, pttl, locked] = read.value;
    const answer = decodeAnswer(text);
    return { answer: answer && pttl > 0 ? { ...answer, ttlMs: pttl } : answer, locked: locked === 1 };
  }

  #keys(id: string): Keys {
    // {id}: a Redis Cluster hash tag, so both keys of one id share a slot (scripts need that).
    const tagged = `{${id}}`;
    return { user: this.#redis.key(userKey(tagged)), lock: this.#redis.key(lockKey(tagged)) };
  }
}

interface Keys {
  readonly user: string;
  readonly lock: string;
}
