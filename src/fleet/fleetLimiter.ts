import { randomUUID } from 'node:crypto';
import { sleep as abortableSleep } from '../directory/genesys/abort';
import type { RequestLimiter } from '../directory/genesys/rateLimiter';
import { intOption, requiredOption } from '../directory/options';
import type { FleetRedis } from './fleetRedis';

const OWNER = 'FleetRequestLimiter';

export interface FleetRequestLimiterOptions {
  readonly redis: FleetRedis;
  /** This process's own limiter (its ENRICHER_GENESYS_MAX_RPM and the 429 Retry-After it was told). Required. */
  readonly local: RequestLimiter;
  /** Genesys requests the whole fleet may send in any window. Required, >= 1. */
  readonly ratePerWindow: number;
  /** The window, ms. Default 60,000 (requests per minute). */
  readonly windowMs?: number;
  /** Redis key name (prefixed). Default `genesys-requests`: every replica of one org must use the same. */
  readonly key?: string;
  /** Longest single pause before asking Redis again, ms. Default 1000. */
  readonly maxPauseMs?: number;
}

/** Counters since construction. */
export interface FleetRequestLimiterStats {
  /** Requests the fleet-wide ceiling let through. */
  readonly granted: number;
  /** Of those, how many waited for the fleet window to have room. */
  readonly delayed: number;
  /** Requests let through on the local limiter alone because Redis could not answer. */
  readonly degraded: number;
}

// KEYS: the sliding log. ARGV: limit, window ms, member. Redis' own clock, so replicas' clocks do not matter.
// 0 when a turn was taken, else how long until the oldest entry leaves the window (ms).
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/**
 * One Genesys budget for a fleet: a request goes out when this process's own
 * limiter gives a turn (its rate, and the pause after a 429 Genesys sent this
 * replica) AND the fleet's sliding window in Redis has room, so no window of
 * `windowMs` ever holds more than `ratePerWindow` requests from all replicas
 * together. When Redis cannot answer (slow, down, breaker open) the local
 * limiter alone decides: the fleet may then exceed its ceiling, bounded by
 * the replicas' local rates, and Genesys' 429s still hold each replica back.
 */
export class FleetRequestLimiter implements RequestLimiter {
  readonly #redis: FleetRedis;
  readonly #local: RequestLimiter;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #key: string;
  readonly #maxPauseMs: number;
  readonly #owner = randomUUID();
  #sequence = 0;
  #granted = 0;
  #delayed = 0;
  #degraded = 0;

  constructor(options: FleetRequestLimiterOptions) {
    requiredOption(OWNER, 'options', options);
    this.#redis = requiredOption(OWNER, 'redis', options.redis);
    this.#local = requiredOption(OWNER, 'local', options.local);
    this.#limit = intOption(OWNER, 'ratePerWindow', requiredOption(OWNER, 'ratePerWindow', options.ratePerWindow), 1);
    this.#windowMs = intOption(OWNER, 'windowMs', options.windowMs, 60_000);
    this.#key = this.#redis.key(options.key ?? 'genesys-requests');
    this.#maxPauseMs = intOption(OWNER, 'maxPauseMs', options.maxPauseMs, 1000);
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    await this.#local.acquire(signal);
    let waited = false;
    for (;;) {
      signal?.throwIfAborted();
      const member = `${this.#owner}:${++this.#sequence}`;
      const taken = await this.#redis.run((r) => r.eval(TAKE, 1, this.#key, this.#limit, this.#windowMs, member) as Promise<number>);
      if (!taken.ok) {
        this.#degraded++;
        return;
      }
      if (taken.value === 0) {
        this.#granted++;
        if (waited) this.#delayed++;
        return;
      }
      waited = true;
      // Jittered so replicas that wait for the same slot do not all ask at once.
      const pause = Math.min(this.#maxPauseMs, taken.value) * (0.9 + Math.random() * 0.2);
      await abortableSleep(Math.max(1, Math.round(pause)), signal ?? new AbortController().signal);
    }
  }

  /** A 429 is this replica's token's: only the local limiter pauses (per-replica Retry-After). */
  throttled(retryAfterMs: number): void {
    this.#local.throttled?.(retryAfterMs);
  }

  stats(): FleetRequestLimiterStats {
    return { granted: this.#granted, delayed: this.#delayed, degraded: this.#degraded };
  }
}
