import type { CacheConfig } from '../config/index';
import type { FleetConfig } from '../config/types';
import type { IdentityCache } from '../deactivation/steps/types';
import type { SingleLookup } from '../directory/cache/cachedIdentityResolver';
import type { RequestLimiter } from '../directory/genesys/rateLimiter';
import type { WarmupTarget } from '../directory/warmup/directoryWarmup';
import { FleetWarmup, type Warmup } from '../directory/warmup/fleetWarmup';
import { FleetCache, type LocalCache } from '../fleet/fleetCache';
import { FleetLease } from '../fleet/fleetLease';
import { SharedWarmupTarget } from '../fleet/sharedWarmupTarget';
import { FleetRequestLimiter } from '../fleet/fleetLimiter';
import { FleetRedis } from '../fleet/fleetRedis';
import { declareFleetMetrics } from '../fleet/metrics';
import { redactRedisUrl } from '../fleet/redisUrl';
import { SharedSingleLookup } from '../fleet/sharedLookup';
import type { Logger } from '../telemetry/logger';
import type { MetricsRegistry } from '../telemetry/metricsRegistry';

/** The fleet's shared state as the composition root wires it (ENRICHER_REDIS_URL set). */
export interface FleetParts {
  readonly redis: FleetRedis;
  /** For the start-up log line: the URL without its password. */
  readonly where: string;
  /** ENRICHER_FLEET_GENESYS_MAX_RPM: Genesys requests per minute for the whole fleet; 0: no ceiling. */
  readonly genesysCeiling: number;
  /** Puts Redis between the local cache and `next` (what the cache called before). */
  sharedLookup(next: SingleLookup): SingleLookup;
  /** The cache a deactivation refreshes: local, Redis, and every replica. */
  sharedCache(local: LocalCache): IdentityCache;
  /** Adds the fleet's metric families. */
  declareMetrics(registry: MetricsRegistry): void;
  /** `local` under the fleet-wide Genesys ceiling, or `local` itself when there is none (ENRICHER_FLEET_GENESYS_MAX_RPM 0). */
  genesysBudget(local: RequestLimiter): RequestLimiter;
  /** The warm-up run once per fleet: `build` runs on the replica holding the lease, into `local` and Redis. */
  warmupOnce(local: WarmupTarget, build: (target: WarmupTarget) => Warmup): Warmup;
  /** Connects and listens for the other replicas' changes (in the background: never blocks start). */
  start(): void;
  close(): Promise<void>;
}

/** The fleet parts, or undefined when ENRICHER_REDIS_URL is unset (every process on its own, as before). */
export function buildFleet(fleet: FleetConfig, cache: CacheConfig, logger: Logger): FleetParts | undefined {
  if (!fleet.redisUrl) return undefined;
  const log = logger.child({ component: 'fleet' });
  const redis = new FleetRedis({ url: fleet.redisUrl, waitMs: fleet.redisWaitMs, keyPrefix: fleet.keyPrefix, logger: log });
  let lookup: SharedSingleLookup | undefined;
  let changes: FleetCache | undefined;
  const limiters: FleetRequestLimiter[] = [];
  return {
    redis,
    where: redactRedisUrl(fleet.redisUrl),
    genesysCeiling: fleet.fleetMaxRequestsPerMinute,
    sharedLookup(next) {
      lookup = new SharedSingleLookup({ redis, next, ttlMs: cache.ttlMs, notFoundTtlMs: cache.notFoundTtlMs, lockWaitMs: fleet.lockWaitMs });
      return lookup;
    },
    sharedCache(local) {
      changes = new FleetCache({ redis, local, ttlMs: cache.ttlMs, logger: log });
      return changes;
    },
    declareMetrics(registry) {
      declareFleetMetrics(registry, {
        redis: () => redis.stats(),
        directory: () => lookup?.stats() ?? { hits: 0, misses: 0, shared: 0, fallbacks: 0, ownLookups: 0 },
        changes: () => changes?.stats() ?? { published: 0, applied: 0, publishFailures: 0 },
        limiter: () => (limiters.length === 0 ? undefined : sumLimiterStats(limiters)),
      });
    },
    start() {
      redis.start();
      changes?.listen();
    },
    warmupOnce(local, build) {
      const lease = new FleetLease({ redis, name: 'lease:warmup' });
      return new FleetWarmup({ lease, logger: log, warmup: () => build(new SharedWarmupTarget({ local, redis, ttlMs: cache.ttlMs })) });
    },
    genesysBudget(local) {
      if (fleet.fleetMaxRequestsPerMinute === 0) return local;
      const limiter = new FleetRequestLimiter({ redis, local, ratePerWindow: fleet.fleetMaxRequestsPerMinute });
      limiters.push(limiter);
      return limiter;
    },
    close: () => redis.close(),
  };
}

function sumLimiterStats(limiters: readonly FleetRequestLimiter[]): { granted: number; delayed: number; degraded: number } {
  const sum = { granted: 0, delayed: 0, degraded: 0 };
  for (const l of limiters) {
    const s = l.stats();
    sum.granted += s.granted;
    sum.delayed += s.delayed;
    sum.degraded += s.degraded;
  }
  return sum;
}

/**
 * The Genesys request limiter for one use (look-ups, warm-up, deactivation):
 * `local` alone, or `local` under the fleet-wide ceiling
 * (ENRICHER_FLEET_GENESYS_MAX_RPM) when the service is part of a fleet with one.
 * The one place call sites ask for a limiter, so they need not know about fleets.
 */
export function fleetLimiter(local: RequestLimiter, parts: FleetParts | undefined): RequestLimiter {
  return parts ? parts.genesysBudget(local) : local;
}
