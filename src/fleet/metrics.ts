/**
 * The fleet's metrics, declared beside the fleet components (the service adds
 * them to its registry when ENRICHER_REDIS_URL is set). Read from `stats()` at
 * scrape time; nothing is updated here.
 */
import { CIRCUIT_STATE_VALUE } from '../directory/breaker/circuitBreaker';
import type { MetricsRegistry } from '../telemetry/metricsRegistry';
import type { FleetCacheStats } from './fleetCache';
import type { FleetRequestLimiterStats } from './fleetLimiter';
import type { FleetRedisStats } from './fleetRedis';
import type { SharedSingleLookupStats } from './sharedLookup';

export interface FleetMetricSources {
  redis(): FleetRedisStats;
  directory(): SharedSingleLookupStats;
  changes(): FleetCacheStats;
  /** The fleet-wide Genesys budget; undefined when ENRICHER_FLEET_GENESYS_MAX_RPM is 0. */
  limiter(): FleetRequestLimiterStats | undefined;
}

/** Adds the enricher_redis_* and enricher_fleet_* families to `registry`. */
export function declareFleetMetrics(registry: MetricsRegistry, sources: FleetMetricSources): MetricsRegistry {
  return registry
    .add({
      name: 'enricher_redis_commands_total',
      help: 'Redis commands by outcome: ok, error (timeout, connection lost, error reply), short_circuited (the Redis breaker was open).',
      type: 'counter',
      collect: () => {
        const s = sources.redis();
        return [
          { labels: { outcome: 'ok' }, value: s.ok },
          { labels: { outcome: 'error' }, value: s.errors },
          { labels: { outcome: 'short_circuited' }, value: s.shortCircuited },
        ];
      },
    })
    .add({ name: 'enricher_redis_command_duration_seconds', help: 'Durations of Redis commands sent (bounded by ENRICHER_REDIS_WAIT_MS), seconds.', type: 'histogram', collect: () => [sources.redis().latency] })
    .add({ name: 'enricher_redis_connected', help: '1 while the Redis command connection is up.', type: 'gauge', collect: () => [{ value: sources.redis().connected ? 1 : 0 }] })
    .add({ name: 'enricher_redis_circuit_state', help: 'Redis breaker: 0 closed, 1 half-open, 2 open (open: nothing is shared, each process on its own).', type: 'gauge', collect: () => [{ value: CIRCUIT_STATE_VALUE[sources.redis().breaker] }] })
    .add({ name: 'enricher_redis_circuit_opened_total', help: 'Times the Redis breaker opened.', type: 'counter', collect: () => [{ value: sources.redis().breakerOpened }] })
    .add({
      name: 'enricher_fleet_directory_lookups_total',
      help: 'Cache misses by what the fleet made of them: redis_hit, redis_miss, shared (another replica looked it up while this one waited), fallback (the wait ran out), own (this process asked Genesys).',
      type: 'counter',
      collect: () => {
        const s = sources.directory();
        return [
          { labels: { result: 'redis_hit' }, value: s.hits },
          { labels: { result: 'redis_miss' }, value: s.misses },
          { labels: { result: 'shared' }, value: s.shared },
          { labels: { result: 'fallback' }, value: s.fallbacks },
          { labels: { result: 'own' }, value: s.ownLookups },
        ];
      },
    })
    .add({
      name: 'enricher_fleet_changes_total',
      help: 'Changed users (deactivations, reactivations) by direction: published by this replica, applied from others, publish_failed (Redis unavailable).',
      type: 'counter',
      collect: () => {
        const s = sources.changes();
        return [
          { labels: { direction: 'published' }, value: s.published },
          { labels: { direction: 'applied' }, value: s.applied },
          { labels: { direction: 'publish_failed' }, value: s.publishFailures },
        ];
      },
    })
    .add({
      name: 'enricher_fleet_genesys_requests_total',
      help: 'Genesys requests through the fleet-wide budget: granted, delayed (of those granted, waited for room), degraded (let through on the local limiter alone: Redis unavailable).',
      type: 'counter',
      collect: () => {
        const s = sources.limiter();
        if (!s) return [];
        return [
          { labels: { result: 'granted' }, value: s.granted },
          { labels: { result: 'delayed' }, value: s.delayed },
          { labels: { result: 'degraded' }, value: s.degraded },
        ];
      },
    });
}
