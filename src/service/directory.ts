import type { CacheConfig, GenesysConfig } from '../config/index';
import type { BreakerConfig } from '../config/types';
import { BreakerBulkLookup, BreakerSingleLookup, CircuitBreaker } from '../directory/breaker/index';
import { CachedIdentityResolver, GenesysClient, type GenesysClientOptions, type RequestLimiter, UserBatcher, UserLookup } from '../directory/index';
import { TimedBulkLookup } from '../directory/lookup/timedBulkLookup';
import { Histogram, LOOKUP_SECONDS_BUCKETS } from '../telemetry/metricsHistogram';
import type { Logger } from '../telemetry/logger';
import type { FleetParts } from './fleet';

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
 * `limiter`: the process's Genesys budget (look-ups, warm-up and deactivation
 * share it; in a fleet with a ceiling, under the fleet-wide one too, see
 * fleetLimiter); unset, look-ups are not rate-limited. `fleet`: Redis between
 * the cache and this process's own look-ups.
 */
export function buildDirectory(
  target: GenesysTarget,
  genesys: GenesysConfig,
  cache: CacheConfig,
  logger: Logger,
  breakerConfig?: BreakerConfig,
  limiter?: RequestLimiter,
  fleet?: FleetParts,
): DirectoryParts {
  const client = genesysClientFor(target, genesys, { logger: logger.child({ component: 'genesys' }), rateLimiter: limiter });
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
  // With a limiter, a batch is cut when the budget grants its request: ids keep collecting meanwhile.
  const batcher = new UserBatcher({ lookup: new BreakerBulkLookup({ lookup: timed, breaker }), limiter });
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
