import type { CacheConfig, GenesysConfig } from '../config/index';
import type { BreakerConfig } from '../config/types';
import { BreakerBulkLookup, BreakerSingleLookup, CircuitBreaker } from '../directory/breaker/index';
import { CachedIdentityResolver, GenesysClient, type GenesysClientOptions, RequestRateLimiter, UserBatcher, UserLookup } from '../directory/index';
import type { RequestLimiter } from '../directory/genesys/rateLimiter';
import { TimedBulkLookup } from '../directory/lookup/timedBulkLookup';
import { Histogram, LOOKUP_SECONDS_BUCKETS } from '../telemetry/metricsHistogram';
import type { Logger } from '../telemetry/logger';
import { type FleetParts, fleetLimiter } from './fleet';

/** Where the directory talks to: a real org or the embedded simulator. */
export interface GenesysTarget {
  clientId: string;
  clientSecret: string;
  region: string;
  apiUrl?: string;
}

/**
 * A Genesys client for `target` with the configured request timeout. `own`
 * is what differs per user of the org: its logger, and a rate limiter for
 * bulk work.
 */
export function genesysClientFor(target: GenesysTarget, genesys: GenesysConfig, own: Pick<GenesysClientOptions, 'logger' | 'rateLimiter'>): GenesysClient {
  return new GenesysClient({
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    region: target.region,
    apiUrl: target.apiUrl,
    requestTimeoutMs: genesys.requestTimeoutMs,
    ...own,
  });
}

/** The directory as the service uses it, with what it must close on shutdown. */
export interface DirectoryParts {
  client: GenesysClient;
  batcher: UserBatcher;
  resolver: CachedIdentityResolver;
  /** Opens while Genesys keeps failing; see ENRICHER_GENESYS_BREAKER_*. */
  breaker: CircuitBreaker;
  /** Durations of bulk look-ups that reached Genesys, seconds. */
  lookupDuration: Histogram;
  close(): void;
}

/**
 * Builds Genesys client -> bulk look-up (timed) -> circuit breaker -> batcher
 * -> breaker fast path -> lru cache. `breakerConfig` unset: the defaults (5 failures, 30 s).
 */
export function buildDirectory(
  target: GenesysTarget,
  genesys: GenesysConfig,
  cache: CacheConfig,
  logger: Logger,
  breakerConfig?: BreakerConfig,
  fleet?: FleetParts,
): DirectoryParts {
  // In a fleet with a Genesys ceiling, look-ups draw on the fleet's budget (a local limiter at that rate keeps 429s per replica).
  const budget = fleet ? fleetLookupLimiter(fleet) : undefined;
  const client = genesysClientFor(target, genesys, { logger: logger.child({ component: 'genesys' }), ...(budget ? { rateLimiter: budget } : {}) });
  const lookupDuration = new Histogram(LOOKUP_SECONDS_BUCKETS);
  const breaker = new CircuitBreaker({
    failureThreshold: breakerConfig?.failures,
    cooldownMs: breakerConfig?.cooldownMs,
    onChange: (state) =>
      state === 'open'
        ? logger.warn({ component: 'directory', cooldownMs: breakerConfig?.cooldownMs }, 'Genesys circuit opened: look-ups fail at once (cached users still served) until a probe succeeds')
        : logger.info({ component: 'directory' }, 'Genesys circuit closed: look-ups resumed'),
  });
  const timed = new TimedBulkLookup({ lookup: new UserLookup({ client }), observer: lookupDuration });
  const batcher = new UserBatcher({ lookup: new BreakerBulkLookup({ lookup: timed, breaker }) });
  const ownLookup = new BreakerSingleLookup({ lookup: batcher, breaker });
  const resolver = new CachedIdentityResolver({
    // In a fleet, Redis sits between the cache and this process's own look-ups.
    lookup: fleet ? fleet.sharedLookup(ownLookup) : ownLookup,
    max: cache.maxEntries,
    ttlMs: cache.ttlMs,
    notFoundTtlMs: cache.notFoundTtlMs,
    staleWindowMs: cache.staleMs,
  });
  return {
    client,
    batcher,
    resolver,
    breaker,
    lookupDuration,
    close() {
      batcher.close();
      client.close();
    },
  };
}

// The fleet's budget over a local limiter at the fleet's own rate (never more than the fleet alone, and
// it honours this replica's 429s), or undefined when the fleet has no ceiling. The fleet's sliding window
// already allows a minute's budget at once, so the local one does too.
function fleetLookupLimiter(fleet: FleetParts): RequestLimiter | undefined {
  const ceiling = fleet.genesysCeiling;
  if (ceiling === 0) return undefined;
  return fleetLimiter(new RequestRateLimiter({ ratePerMinute: ceiling, burst: ceiling }), fleet);
}
