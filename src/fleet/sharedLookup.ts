import { randomUUID } from 'node:crypto';
import type { LoadedResolution, SingleLookup } from '../directory/cache/cachedIdentityResolver';
import { intOption, requiredOption } from '../directory/options';
import { Coalescer } from './coalescer';
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

// KEYS: user1, lock1, user2, lock2, ... For each id: its answer, the answer's remaining TTL (ms), whether a replica holds its lock.
const READ_MANY = `local out = {}
for i = 1, #KEYS, 2 do
  out[#out + 1] = redis.call('GET', KEYS[i]) or false
  out[#out + 1] = redis.call('PTTL', KEYS[i])
  out[#out + 1] = redis.call('EXISTS', KEYS[i + 1])
end
return out`;
// KEYS: lock1, lock2, ... ARGV: token, lock ms. 1 for each lock taken, 0 for each some other replica holds.
const LOCK_MANY = `local out = {}
for i = 1, #KEYS do
  out[i] = redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2], 'NX') and 1 or 0
end
return out`;
// KEYS: user1, lock1, ... ARGV: token, then answer1, ttl1, answer2, ttl2 ... (an empty answer only frees the lock).
// Shares each answer, then frees our lock (never another replica's).
const SHARE_MANY = `for i = 1, #KEYS, 2 do
  local n = (i + 1) / 2
  local answer = ARGV[2 * n]
  if answer ~= '' then redis.call('SET', KEYS[i], answer, 'PX', ARGV[2 * n + 1]) end
  if redis.call('GET', KEYS[i + 1]) == ARGV[1] then redis.call('DEL', KEYS[i + 1]) end
end
return 1`;

interface Seen {
  readonly answer: LoadedResolution | undefined;
  readonly locked: boolean;
}
interface Share {
  readonly keys: Keys;
  /** Encoded answer, or '' to free the lock only. */
  readonly answer: string;
  readonly ttlMs: number;
}

/**
 * The fleet's second level, between the in-process cache and this process's
 * own Genesys look-ups: a miss reads Redis first; with no answer there, the
 * first replica to take the id's lock asks Genesys and shares the answer, and
 * replicas missing on the same id meanwhile wait for it (polling, at most
 * `lockWaitMs`) instead of asking too. The misses of one event-loop turn go
 * to Redis together: one script reads them all, one takes their locks. Whenever Redis cannot answer in time
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
  // This process's lock token: it frees only locks it took.
  readonly #token = randomUUID();
  readonly #reads: Coalescer<Keys, Seen | undefined>;
  readonly #locks: Coalescer<Keys, boolean | undefined>;
  readonly #shares: Coalescer<Share, boolean>;
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
    this.#redis.defineScript('enricherReadMany', READ_MANY);
    this.#redis.defineScript('enricherLockMany', LOCK_MANY);
    this.#redis.defineScript('enricherShareMany', SHARE_MANY);
    // Misses of one event-loop turn (a request's new ids, waiters polling) share one command each.
    this.#reads = new Coalescer((keys) => this.#readMany(keys), undefined);
    this.#locks = new Coalescer((keys) => this.#lockMany(keys), undefined);
    this.#shares = new Coalescer((shares) => this.#shareMany(shares), false);
  }

  async load(id: string): Promise<LoadedResolution> {
    const keys = this.#keys(id);
    const first = await this.#reads.add(keys);
    if (first === undefined) return this.#own(id, keys, false); // Redis cannot answer: on our own
    if (first.answer) {
      this.#hits++;
      return first.answer;
    }
    this.#misses++;
    if (this.#lockWaitMs === 0) return this.#own(id, keys, false);
    const locked = await this.#locks.add(keys);
    if (locked === undefined) return this.#own(id, keys, false);
    if (locked) return this.#own(id, keys, true);
    const answer = await this.#waitForHolder(keys);
    if (answer) {
      this.#shared++;
      return answer;
    }
    this.#fallbacks++;
    return this.#own(id, keys, false);
  }

  /** Passes a cache's "asked for again" hint on to what it wraps, when that takes such hints (the batcher on main). */
  promote(id: string): void {
    (this.#next as { promote?: (id: string) => void }).promote?.(id);
  }

  stats(): SharedSingleLookupStats {
    return { hits: this.#hits, misses: this.#misses, shared: this.#shared, fallbacks: this.#fallbacks, ownLookups: this.#ownLookups };
  }

  // Asks `next` and shares a definite answer (freeing our lock, if we hold one); a failure frees the lock so waiters go on.
  async #own(id: string, keys: Keys, locked: boolean): Promise<LoadedResolution> {
    this.#ownLookups++;
    const resolution = await this.#next.load(id);
    if (resolution.status === 'failed') {
      if (locked) await this.#shares.add({ keys, answer: '', ttlMs: 0 });
      return resolution;
    }
    const found = resolution.status === 'found';
    const answer: SharedAnswer = found ? { status: 'found', user: resolution.user } : { status: 'not_found' };
    await this.#shares.add({ keys, answer: encodeAnswer(answer), ttlMs: found ? this.#ttlMs : this.#notFoundTtlMs });
    return resolution;
  }

  // The holder's answer once it is there; undefined when the wait ran out, the lock went without an answer, or Redis failed.
  async #waitForHolder(keys: Keys): Promise<LoadedResolution | undefined> {
    const deadline = performance.now() + this.#lockWaitMs;
    while (performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
      const seen = await this.#reads.add(keys);
      if (seen === undefined) return undefined;
      if (seen.answer) return seen.answer;
      if (!seen.locked) return undefined;
    }
    return undefined;
  }

  async #readMany(keys: readonly Keys[]): Promise<Array<Seen | undefined>> {
    const read = await this.#redis.script<Array<string | number | null>>('enricherReadMany', keys.flatMap((k) => [k.user, k.lock]), []);
    if (!read.ok) return [];
    return keys.map((_, i) => {
      const text = read.value[3 * i] as string | null;
      const pttl = Number(read.value[3 * i + 1]);
      const answer = decodeAnswer(text);
      return { answer: answer && pttl > 0 ? { ...answer, ttlMs: pttl } : answer, locked: Number(read.value[3 * i + 2]) === 1 };
    });
  }

  async #lockMany(keys: readonly Keys[]): Promise<Array<boolean | undefined>> {
    const taken = await this.#redis.script<number[]>('enricherLockMany', keys.map((k) => k.lock), [this.#token, this.#lockWaitMs]);
    if (!taken.ok) return [];
    return keys.map((_, i) => taken.value[i] === 1);
  }

  async #shareMany(shares: readonly Share[]): Promise<boolean[]> {
    const args: Array<string | number> = [this.#token];
    for (const s of shares) args.push(s.answer, s.ttlMs);
    const done = await this.#redis.script<number>('enricherShareMany', shares.flatMap((s) => [s.keys.user, s.keys.lock]), args);
    return shares.map(() => done.ok);
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
